import test from 'ava';
import { BACKOFF_MAX_MS, decideRestart, FRESH_MEMORY, type RestartPolicy } from '../../src/supervisor/restart.js';

const policy: RestartPolicy = { autorestart: true, stopExitCodes: [], minUptimeMs: 1000, maxRestarts: 3, restartDelayMs: 0, expBackoffRestartDelayMs: undefined };
const crash = (uptimeMs: number, code: number | null = 1) => ({ code, signal: null, uptimeMs, now: 10_000 });

test('autorestart: false leaves the instance exited', (t) => {
  t.deepEqual(decideRestart({ ...policy, autorestart: false }, FRESH_MEMORY, crash(5000)).outcome, { kind: 'exited' });
});

test('stop_exit_codes are not restarted', (t) => {
  t.deepEqual(decideRestart({ ...policy, stopExitCodes: [0, 3] }, FRESH_MEMORY, crash(10, 3)).outcome, { kind: 'exited' });
  t.is(decideRestart({ ...policy, stopExitCodes: [0, 3] }, FRESH_MEMORY, crash(10, 2)).outcome.kind, 'restart');
});

test('exits inside min_uptime count; more than max_restarts in a row errors, with the reason', (t) => {
  let memory = FRESH_MEMORY;
  for (let i = 1; i <= 3; i++) {
    const verdict = decideRestart(policy, memory, crash(10));
    t.is(verdict.outcome.kind, 'restart');
    memory = verdict.memory;
    t.is(memory.unstableRestarts, i);
  }
  const last = decideRestart(policy, memory, crash(10));
  t.deepEqual(last.outcome, { kind: 'errored', reason: 'exited with code 1; 4 exits in a row within min_uptime 1000ms (max_restarts 3)' });
});

test('a stable run resets the unstable count', (t) => {
  const verdict = decideRestart(policy, { unstableRestarts: 3, backoffMs: 0 }, crash(1500));
  t.is(verdict.outcome.kind, 'restart');
  t.is(verdict.memory.unstableRestarts, 0);
});

test('max_restarts: 0 means no unstable restart at all', (t) => {
  t.is(decideRestart({ ...policy, maxRestarts: 0 }, FRESH_MEMORY, crash(10)).outcome.kind, 'errored');
});

test('restart_delay waits a fixed time', (t) => {
  t.deepEqual(decideRestart({ ...policy, restartDelayMs: 250 }, FRESH_MEMORY, crash(5000)).outcome, { kind: 'restart', retryAt: 10_250, countsAsRestart: true });
});

test('exponential backoff grows ×1.5 to 15 s and resets after 30 s stable', (t) => {
  const backoff = { ...policy, maxRestarts: 1000, expBackoffRestartDelayMs: 100 };
  let memory = FRESH_MEMORY;
  const delays: number[] = [];
  for (let i = 0; i < 14; i++) {
    const verdict = decideRestart(backoff, memory, crash(10));
    memory = verdict.memory;
    delays.push(memory.backoffMs);
  }
  t.deepEqual(delays.slice(0, 4), [100, 150, 225, 338]);
  t.is(Math.max(...delays), BACKOFF_MAX_MS);
  const afterStable = decideRestart(backoff, memory, crash(30_000));
  t.is(afterStable.memory.backoffMs, 100);
  t.deepEqual(afterStable.outcome, { kind: 'restart', retryAt: 10_100, countsAsRestart: true });
});

test('a signal is named in the errored reason', (t) => {
  const verdict = decideRestart({ ...policy, maxRestarts: 0 }, FRESH_MEMORY, { code: null, signal: 'SIGSEGV', uptimeMs: 1, now: 0 });
  t.like(verdict.outcome, { kind: 'errored', reason: 'killed by SIGSEGV; 1 exit in a row within min_uptime 1000ms (max_restarts 0)' });
});
