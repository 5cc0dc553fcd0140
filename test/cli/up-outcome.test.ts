import test from 'ava';
import { followOutcome } from '../../src/cli/up-outcome.js';
import { appSpec, procScript } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';

const job = (name: string, code: number) => appSpec({ name, script: procScript('exit-after.js'), args: [String(code), '300'], autorestart: false });

test('onIdle is called once, when every instance has ended; the verdict then speaks of the apps having ended', async (t) => {
  const { supervisor } = await harness(t, [job('ok', 0), job('bad', 5)]);
  let calls = 0;
  const outcome = followOutcome(supervisor, () => calls++);
  t.teardown(() => outcome.close());
  await waitFor(() => calls === 1, { timeoutMs: 15_000, what: 'onIdle' });
  await supervisor.shutdown('every app has ended');
  t.deepEqual(await outcome.verdict(), { code: 1, line: 'every app has ended; exit code 1: bad exited with code 5' });
  t.is(calls, 1);
});

test('a stop when asked is judged on the states the instances had when it began, not on the stopped they end in', async (t) => {
  const crash = appSpec({ name: 'crash', script: procScript('exit-after.js'), args: ['1', '0'], maxRestarts: 0, minUptimeMs: 60_000 });
  const { supervisor, waitStatus } = await harness(t, [appSpec({ name: 'web' }), crash]);
  const outcome = followOutcome(supervisor);
  t.teardown(() => outcome.close());
  await waitStatus('crash:0', 'errored', 15_000);
  await waitStatus('web:0', 'online', 15_000);
  await supervisor.shutdown('SIGTERM');
  t.is((await supervisor.list()).find((info) => info.id === 'web:0')?.state.status, 'stopped');
  t.deepEqual(await outcome.verdict(), { code: 1, line: 'exit code 1 (stopped by SIGTERM): crash errored: exited with code 1; 1 exit in a row within min_uptime 60000ms (max_restarts 0)' });
});

test('a stop when asked with every app running is 0, with nothing to add', async (t) => {
  const { supervisor, waitStatus } = await harness(t, [appSpec({ name: 'web' })]);
  const outcome = followOutcome(supervisor, () => t.fail('nothing has ended'));
  t.teardown(() => outcome.close());
  await waitStatus('web:0', 'online', 15_000);
  await supervisor.shutdown("'node-unit down'");
  t.deepEqual(await outcome.verdict(), { code: 0, line: undefined });
});
