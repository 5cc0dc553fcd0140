import test from 'ava';
import { assertCleanRun, runAsPid1 } from '../helpers/pid1.js';

test('up as PID 1 of a pid namespace: runs under node-unit-init, no zombies after 15 s of orphans and restarts, SIGTERM ends all within the largest kill_timeout + 1 s with exit 0', async (t) => {
  t.is(process.getuid?.(), 0, 'unshare --pid needs root');
  const run = await runAsPid1(t, 15_000);
  assertCleanRun(t, run, 100);
  t.regex(run.output, /^churn:\d +\| orphan \d+ left by pid=\d+$/m);
});
