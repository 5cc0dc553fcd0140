import test from 'ava';
import { LARGEST_KILL_TIMEOUT_MS, runAsPid1 } from '../helpers/pid1.js';

test('up as PID 1 of a pid namespace: runs under node-unit-init, no zombies after 15 s of orphans and restarts, SIGTERM ends all within the largest kill_timeout + 1 s with exit 0', async (t) => {
  t.is(process.getuid?.(), 0, 'unshare --pid needs root');
  const run = await runAsPid1(t, 15_000);
  t.is(run.initComm, 'node-unit-init');
  t.true(run.orphansMade > 300, `only ${run.orphansMade} orphans were made`);
  t.is(run.zombiesAfterChurn, 0);
  t.true(run.stopMs <= LARGEST_KILL_TIMEOUT_MS + 1000, `stopping took ${run.stopMs} ms`);
  t.is(run.exitCode, 0, run.output.slice(-3000));
  t.is(run.leftInNamespace, 0);
  t.regex(run.output, /churn:\d? *\| orphan \d+ left|churn.*\| orphan/);
});
