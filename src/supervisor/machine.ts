import type { ProcessState, ProcessStatus } from '../model/state.js';
import { assertNever } from '../model/assert.js';

/** What can happen to an instance. The supervisor feeds these in; `transition` says what state follows. */
export type InstanceEvent =
  | { readonly type: 'hold'; readonly reason: string }
  /** Its launch began: checks, environment, then a turn in the spawn queue. No process yet. */
  | { readonly type: 'launch'; readonly now: number }
  | { readonly type: 'spawned'; readonly now: number; readonly pid: number | undefined }
  | { readonly type: 'ready'; readonly now: number; readonly pid: number }
  | { readonly type: 'stop'; readonly now: number; readonly forced: boolean }
  | { readonly type: 'exit'; readonly now: number; readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly outcome: ExitOutcome }
  | { readonly type: 'fail'; readonly now: number; readonly reason: string }
  | { readonly type: 'cancel'; readonly now: number };

/** The restart policy's verdict on an exit the user did not ask for. */
export type ExitOutcome =
  | { readonly kind: 'restart'; readonly retryAt: number; readonly countsAsRestart: true }
  | { readonly kind: 'exited' }
  | { readonly kind: 'errored'; readonly reason: string }
  | { readonly kind: 'stopped' };

export type Transition = { readonly ok: true; readonly state: ProcessState } | { readonly ok: false; readonly from: ProcessStatus; readonly event: InstanceEvent['type'] };

const illegal = (from: ProcessState, event: InstanceEvent): Transition => ({ ok: false, from: from.status, event: event.type });

function pidOf(state: ProcessState): number | undefined {
  return state.status === 'starting' || state.status === 'online' || state.status === 'stopping' ? state.pid : undefined;
}

function afterExit(state: ProcessState, event: Extract<InstanceEvent, { type: 'exit' }>): ProcessState {
  const { now, code, signal, outcome } = event;
  const restarts = state.restarts;
  switch (outcome.kind) {
    case 'restart':
      return { status: 'backoff', retryAt: outcome.retryAt, restarts, code, signal };
    case 'exited':
      return { status: 'exited', code, signal, restarts, since: now };
    case 'errored':
      return { status: 'errored', reason: outcome.reason, restarts, since: now };
    case 'stopped':
      return { status: 'stopped', restarts, since: now };
    default:
      return assertNever(outcome, 'exit outcome');
  }
}

/** Starting, and its process not spawned yet: queued behind other spawns, or its checks still running. */
const queued = (state: ProcessState): boolean => state.status === 'starting' && state.pid === undefined;

/** A start from here counts as a restart: the instance ran before (or was stopped by a command). */
const countsAsRestart = (state: ProcessState): boolean =>
  state.status === 'backoff' || state.status === 'exited' || state.status === 'errored' || (state.status === 'stopped' && state.since > 0);

/** Pure: the next state of an instance, or why the event is not allowed in this state. */
export function transition(state: ProcessState, event: InstanceEvent): Transition {
  const restarts = state.restarts;
  const running = state.status === 'starting' || state.status === 'online';
  switch (event.type) {
    case 'launch':
      // Shown as starting from the moment it is asked to start: sixty instances waiting for their turn to
      // spawn are not `stopped`.
      return running || state.status === 'stopping'
        ? illegal(state, event)
        : { ok: true, state: { status: 'starting', pid: undefined, since: event.now, restarts: countsAsRestart(state) ? restarts + 1 : restarts } };
    case 'hold':
      return state.status === 'starting' || state.status === 'online' || state.status === 'stopping'
        ? illegal(state, event)
        : { ok: true, state: { status: 'pending', reason: event.reason, restarts } };
    case 'spawned':
      // Its restart was counted when its launch began.
      if (queued(state)) return { ok: true, state: { status: 'starting', pid: event.pid, since: event.now, restarts } };
      if (running || state.status === 'stopping') return illegal(state, event);
      return { ok: true, state: { status: 'starting', pid: event.pid, since: event.now, restarts: countsAsRestart(state) ? restarts + 1 : restarts } };
    case 'ready':
      // A running state's `since` is the process start, so uptime counts from it (as pm2's does), not from readiness.
      return state.status === 'starting' && !queued(state) ? { ok: true, state: { status: 'online', pid: event.pid, since: state.since, restarts } } : illegal(state, event);
    case 'stop': {
      const pid = pidOf(state);
      if (pid === undefined) return running ? { ok: true, state: { status: 'stopped', restarts, since: event.now } } : illegal(state, event);
      return { ok: true, state: { status: 'stopping', pid, since: 'since' in state ? state.since : event.now, restarts, forced: event.forced } };
    }
    case 'exit':
      if (state.status === 'stopping') return { ok: true, state: { status: 'stopped', restarts, since: event.now } };
      return running ? { ok: true, state: afterExit(state, event) } : illegal(state, event);
    case 'fail':
      return state.status === 'stopping' ? illegal(state, event) : { ok: true, state: { status: 'errored', reason: event.reason, restarts, since: event.now } };
    case 'cancel':
      return state.status === 'pending' || state.status === 'backoff' || state.status === 'exited' || state.status === 'errored' || queued(state)
        ? { ok: true, state: { status: 'stopped', restarts, since: event.now } }
        : illegal(state, event);
    default:
      return assertNever(event, 'instance event');
  }
}

export const INITIAL_STATE: ProcessState = { status: 'stopped', restarts: 0, since: 0 };

/** States in which a process may be alive. */
export function hasProcess(state: ProcessState): boolean {
  return state.status === 'starting' || state.status === 'online' || state.status === 'stopping';
}
