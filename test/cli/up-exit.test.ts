import test from 'ava';
import { parseInstanceId, type InstanceId } from '../../src/model/ids.js';
import type { ProcessState } from '../../src/model/state.js';
import { upVerdict, type FinalInstance, type UpEnd } from '../../src/cli/up-exit.js';

const instance = (id: InstanceId, state: ProcessState, stopExitCodes: readonly number[] = []): FinalInstance => {
  const parsed = parseInstanceId(id) ?? { app: id, index: 0 };
  return { info: { id, ...parsed, namespace: 'default', state, cpu: undefined, memory: undefined, note: undefined }, stopExitCodes };
};
const online = (id: InstanceId): FinalInstance => instance(id, { status: 'online', pid: 10, since: 1, restarts: 0 });
const exited = (id: InstanceId, code: number | null, signal: NodeJS.Signals | null = null, stopExitCodes: readonly number[] = []): FinalInstance =>
  instance(id, { status: 'exited', code, signal, restarts: 0, since: 1 }, stopExitCodes);
const errored = (id: InstanceId): FinalInstance => instance(id, { status: 'errored', reason: 'exited with code 1; 4 exits in a row within min_uptime 1000ms (max_restarts 3)', restarts: 3, since: 1 });
const sigterm: UpEnd = { kind: 'asked', reason: 'SIGTERM' };
const ended: UpEnd = { kind: 'ended' };

test('a stop when asked, with every app running, waiting or stopped: 0 and nothing more to say', (t) => {
  const states = [
    online('api:0'),
    instance('worker:0', { status: 'backoff', retryAt: 5, restarts: 2, code: 1, signal: null }),
    instance('db:0', { status: 'pending', reason: 'waiting', restarts: 0 }),
    instance('tool:0', { status: 'stopped', restarts: 0, since: 0 }),
    instance('web:0', { status: 'starting', pid: 3, since: 1, restarts: 0 }),
  ];
  t.deepEqual(upVerdict(states, sigterm), { code: 0, line: undefined });
  t.deepEqual(upVerdict([], { kind: 'asked', reason: "'node-unit down'" }), { code: 0, line: undefined });
});

test('apps that ended with 0 or one of their stop_exit_codes: 0', (t) => {
  t.deepEqual(upVerdict([exited('job:0', 0), exited('once:0', 3, null, [3])], ended), { code: 0, line: 'every app has ended; exit code 0' });
  t.is(upVerdict([online('api:0'), exited('job:0', 0)], sigterm).code, 0);
});

test('an errored app makes it 1, named with its reason, whether up ended by itself or was asked to stop', (t) => {
  t.deepEqual(upVerdict([errored('crash:0'), exited('job:0', 0)], ended), {
    code: 1,
    line: 'every app has ended; exit code 1: crash errored: exited with code 1; 4 exits in a row within min_uptime 1000ms (max_restarts 3)',
  });
  t.deepEqual(upVerdict([online('api:0'), errored('crash:0')], sigterm), {
    code: 1,
    line: 'exit code 1 (stopped by SIGTERM): crash errored: exited with code 1; 4 exits in a row within min_uptime 1000ms (max_restarts 3)',
  });
});

test('an app that exited by itself with another code, or by a signal, and was not restarted makes it 1', (t) => {
  t.deepEqual(upVerdict([exited('job:0', 3)], ended), { code: 1, line: 'every app has ended; exit code 1: job exited with code 3' });
  t.deepEqual(upVerdict([exited('job:0', 2, null, [3])], ended).code, 1);
  t.deepEqual(upVerdict([exited('job:0', null, 'SIGKILL')], ended), { code: 1, line: 'every app has ended; exit code 1: job exited (killed by SIGKILL)' });
});

test('instances of an app of several are named by id; every failure is listed', (t) => {
  const verdict = upVerdict([exited('web:0', 0), exited('web:1', 4), errored('crash:0')], ended);
  t.is(verdict.code, 1);
  t.regex(verdict.line ?? '', /: web:1 exited with code 4; crash errored: /);
});
