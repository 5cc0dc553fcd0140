import test from 'ava';
import { INITIAL_STATE, transition, type InstanceEvent } from '../../src/supervisor/machine.js';
import type { ProcessState } from '../../src/model/state.js';

function run(state: ProcessState, ...events: InstanceEvent[]): ProcessState {
  let current = state;
  for (const event of events) {
    const next = transition(current, event);
    if (!next.ok) throw new Error(`illegal ${next.event} in ${next.from}`);
    current = next.state;
  }
  return current;
}

const spawned = (pid = 10): InstanceEvent => ({ type: 'spawned', now: 1, pid });
const ready = (pid = 10): InstanceEvent => ({ type: 'ready', now: 2, pid });

test('a fresh instance starts, becomes online, and its first start is not a restart; uptime counts from the process start', (t) => {
  const state = run(INITIAL_STATE, spawned(), ready());
  t.deepEqual(state, { status: 'online', pid: 10, since: 1, restarts: 0 });
});

test('an exit the policy restarts goes to backoff, and the next spawn counts one restart', (t) => {
  const backoff = run(INITIAL_STATE, spawned(), ready(), { type: 'exit', now: 3, code: 1, signal: null, outcome: { kind: 'restart', retryAt: 103, countsAsRestart: true } });
  t.deepEqual(backoff, { status: 'backoff', retryAt: 103, restarts: 0, code: 1, signal: null });
  const again = run(backoff, { type: 'spawned', now: 104, pid: 11 });
  t.is(again.status, 'starting');
  t.is(again.restarts, 1);
});

test('exit outcomes: exited keeps the code, errored keeps the reason', (t) => {
  const exited = run(INITIAL_STATE, spawned(), { type: 'exit', now: 5, code: 0, signal: null, outcome: { kind: 'exited' } });
  t.deepEqual(exited, { status: 'exited', code: 0, signal: null, restarts: 0, since: 5 });
  const errored = run(INITIAL_STATE, spawned(), { type: 'exit', now: 5, code: 1, signal: null, outcome: { kind: 'errored', reason: 'too many' } });
  t.deepEqual(errored, { status: 'errored', reason: 'too many', restarts: 0, since: 5 });
});

test('a stop requested while online goes through stopping to stopped, whatever the exit says', (t) => {
  const stopping = run(INITIAL_STATE, spawned(), ready(), { type: 'stop', now: 6, forced: false });
  t.deepEqual(stopping, { status: 'stopping', pid: 10, since: 1, restarts: 0, forced: false }, 'still the process start');
  const stopped = run(stopping, { type: 'exit', now: 7, code: 1, signal: null, outcome: { kind: 'restart', retryAt: 9, countsAsRestart: true } });
  t.deepEqual(stopped, { status: 'stopped', restarts: 0, since: 7 });
});

test('a manual restart after a stop counts as a restart', (t) => {
  const state = run(INITIAL_STATE, spawned(), ready(), { type: 'stop', now: 6, forced: false }, { type: 'exit', now: 7, code: 0, signal: null, outcome: { kind: 'stopped' } }, spawned(12));
  t.is(state.restarts, 1);
});

test('pending holds its reason and can be cancelled to stopped', (t) => {
  const pending = run(INITIAL_STATE, { type: 'hold', reason: 'waiting for api' });
  t.deepEqual(pending, { status: 'pending', reason: 'waiting for api', restarts: 0 });
  t.is(run(pending, { type: 'cancel', now: 3 }).status, 'stopped');
});

test('illegal transitions are refused, not thrown', (t) => {
  t.like(transition(INITIAL_STATE, ready()), { ok: false, from: 'stopped', event: 'ready' });
  const online = run(INITIAL_STATE, spawned(), ready());
  t.like(transition(online, spawned()), { ok: false, from: 'online', event: 'spawned' });
  t.like(transition(online, { type: 'hold', reason: 'x' }), { ok: false });
  t.like(transition(online, { type: 'cancel', now: 1 }), { ok: false });
  t.like(transition(INITIAL_STATE, { type: 'exit', now: 1, code: 0, signal: null, outcome: { kind: 'exited' } }), { ok: false });
});

test('a failure (bad script, readiness) errors the instance with the reason', (t) => {
  const state = run(INITIAL_STATE, { type: 'fail', now: 4, reason: 'script missing' });
  t.deepEqual(state, { status: 'errored', reason: 'script missing', restarts: 0, since: 4 });
});

const launch = (now = 1): InstanceEvent => ({ type: 'launch', now });

test('a launch shows starting before the process exists; its spawn keeps the count and sets the process start', (t) => {
  const queued = run(INITIAL_STATE, launch(1));
  t.deepEqual(queued, { status: 'starting', pid: undefined, since: 1, restarts: 0 }, 'never `stopped` while it waits for its turn to spawn');
  t.deepEqual(run(queued, { type: 'spawned', now: 7, pid: 10 }), { status: 'starting', pid: 10, since: 7, restarts: 0 });
});

test('a launch after an exit counts one restart, however long the spawn waits', (t) => {
  const exited = run(INITIAL_STATE, spawned(), ready(), { type: 'exit', now: 3, code: 1, signal: null, outcome: { kind: 'restart', retryAt: 103, countsAsRestart: true } });
  const queued = run(exited, launch(104));
  t.is(queued.restarts, 1);
  t.is(run(queued, { type: 'spawned', now: 150, pid: 11 }).restarts, 1);
  const stoppedByCommand = run(INITIAL_STATE, spawned(), ready(), { type: 'stop', now: 5, forced: false }, { type: 'exit', now: 6, code: 0, signal: null, outcome: { kind: 'stopped' } });
  t.is(run(stoppedByCommand, launch(7)).restarts, 1);
});

test('a queued launch can be cancelled or fail; a running instance cannot be launched again', (t) => {
  const queued = run(INITIAL_STATE, launch());
  t.deepEqual(run(queued, { type: 'cancel', now: 2 }), { status: 'stopped', restarts: 0, since: 2 });
  t.like(run(queued, { type: 'fail', now: 2, reason: 'port 3000 (PORT) is already in use' }), { status: 'errored' });
  t.like(run(queued, { type: 'stop', now: 2, forced: false }), { status: 'stopped' });
  t.false(transition(run(INITIAL_STATE, spawned()), launch()).ok);
  t.false(transition(run(INITIAL_STATE, spawned(), ready()), launch()).ok);
  t.false(transition(queued, { type: 'ready', now: 3, pid: 10 }).ok);
});
