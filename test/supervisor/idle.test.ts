import test from 'ava';
import type { ProcessState } from '../../src/model/state.js';
import { nothingLeftToRun, type IdleView } from '../../src/supervisor/idle.js';

const view = (state: ProcessState, extra: Partial<Omit<IdleView, 'state'>> = {}): IdleView => ({ state, launching: false, cron: false, watched: false, ...extra });
const exited = (code: number): ProcessState => ({ status: 'exited', code, signal: null, restarts: 0, since: 5 });
const errored: ProcessState = { status: 'errored', reason: 'boom', restarts: 3, since: 5 };
const online: ProcessState = { status: 'online', pid: 10, since: 5, restarts: 0 };
const neverStarted: ProcessState = { status: 'stopped', restarts: 0, since: 0 };
const stoppedByCommand: ProcessState = { status: 'stopped', restarts: 0, since: 5 };
const waiting: ProcessState = { status: 'pending', reason: 'waiting for db: it errored (boom)', restarts: 0 };

test('every instance exited or errored: nothing is left to run', (t) => {
  t.true(nothingLeftToRun([view(exited(0))]));
  t.true(nothingLeftToRun([view(exited(3)), view(errored)]));
});

test('something running, starting, stopping or about to restart keeps the supervisor going', (t) => {
  const active: readonly ProcessState[] = [
    online,
    { status: 'starting', pid: 11, since: 5, restarts: 0 },
    { status: 'stopping', pid: 12, since: 5, restarts: 0, forced: false },
    { status: 'backoff', retryAt: 99, restarts: 1, code: 1, signal: null },
  ];
  for (const state of active) t.false(nothingLeftToRun([view(exited(0)), view(state)]), state.status);
});

test('a launch under way counts, although its state has not changed yet (a restart after its stop, a dependent let go)', (t) => {
  t.false(nothingLeftToRun([view(exited(0)), view(neverStarted, { launching: true })]));
  t.false(nothingLeftToRun([view(exited(0)), view(waiting, { launching: true })]));
});

test('an instance stopped by a command waits to be started again; one never started does not hold anything', (t) => {
  t.false(nothingLeftToRun([view(exited(0)), view(stoppedByCommand)]));
  t.true(nothingLeftToRun([view(exited(0)), view(neverStarted)]));
});

test('an instance waiting for a dependency that will not come does not hold the supervisor', (t) => {
  t.true(nothingLeftToRun([view(errored), view(waiting)]));
});

test('cron_restart brings an exited instance back; watch brings exited and errored ones back', (t) => {
  t.false(nothingLeftToRun([view(exited(0), { cron: true })]));
  t.true(nothingLeftToRun([view(errored, { cron: true })]));
  t.false(nothingLeftToRun([view(exited(0), { watched: true })]));
  t.false(nothingLeftToRun([view(errored, { watched: true })]));
});

test('nothing ended on its own (never started, or all stopped by commands): the supervisor waits for commands', (t) => {
  t.false(nothingLeftToRun([]));
  t.false(nothingLeftToRun([view(neverStarted), view(neverStarted)]));
  t.false(nothingLeftToRun([view(stoppedByCommand)]));
  t.false(nothingLeftToRun([view(waiting)]));
});
