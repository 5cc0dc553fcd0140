import test from 'ava';
import { waitingReason } from '../../src/supervisor/dependencies.js';
import type { ProcessState } from '../../src/model/state.js';

const online: ProcessState = { status: 'online', pid: 1, since: 0, restarts: 0 };
const starting: ProcessState = { status: 'starting', pid: 1, since: 0, restarts: 0 };
const views = (states: Record<string, ProcessState[]>, wanted: ReadonlySet<string> = new Set()) => (app: string) => (states[app] ? { app, states: states[app], wanted: wanted.has(app) } : undefined);

test('ready waits for every instance to be online', (t) => {
  const deps = [{ app: 'api', condition: 'ready' as const }];
  t.is(waitingReason(deps, views({ api: [online, starting] })), 'waiting for api to be ready');
  t.is(waitingReason(deps, views({ api: [online, online] })), undefined);
});

test('started is met by starting', (t) => {
  t.is(waitingReason([{ app: 'db', condition: 'started' }], views({ db: [starting] })), undefined);
});

test('started is not met by a start still queued to spawn', (t) => {
  const queued: ProcessState = { status: 'starting', pid: undefined, since: 0, restarts: 0 };
  t.is(waitingReason([{ app: 'db', condition: 'started' }], views({ db: [queued] }, new Set(['db']))), 'waiting for db to be started');
});

test('completed needs exit code 0, and says when it failed', (t) => {
  const deps = [{ app: 'migrate', condition: 'completed' as const }];
  t.is(waitingReason(deps, views({ migrate: [{ status: 'exited', code: 0, signal: null, restarts: 0, since: 1 }] })), undefined);
  t.is(waitingReason(deps, views({ migrate: [{ status: 'exited', code: 2, signal: null, restarts: 0, since: 1 }] })), 'waiting for migrate to complete: it exited with code 2');
});

test('an errored dependency is named with its reason', (t) => {
  const deps = [{ app: 'api', condition: 'ready' as const }];
  t.is(waitingReason(deps, views({ api: [{ status: 'errored', reason: 'port 3000 (PORT) is already in use', restarts: 0, since: 1 }] })), 'waiting for api: it errored (port 3000 (PORT) is already in use)');
});

test('a stopped dependency says so, unless it is about to start', (t) => {
  const stopped: ProcessState = { status: 'stopped', restarts: 0, since: 1 };
  t.is(waitingReason([{ app: 'api', condition: 'ready' }], views({ api: [stopped] })), 'waiting for api to be ready (it is stopped)');
  t.is(waitingReason([{ app: 'api', condition: 'ready' }], views({ api: [stopped] }, new Set(['api']))), 'waiting for api to be ready');
});
