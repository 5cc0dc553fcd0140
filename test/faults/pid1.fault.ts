import test from 'ava';
import { LARGEST_KILL_TIMEOUT_MS, runAsPid1 } from '../helpers/pid1.js';

test('up as PID 1: a minute of orphans and restarts leaves no zombie; SIGTERM ends all in time with exit 0', async (t) => {
  t.is(process.getuid?.(), 0, 'unshare --pid needs root');
  const run = await runAsPid1(t, 60_000);
  t.is(run.initComm, 'node-unit-init');
  t.true(run.orphansMade > 1500, `only ${run.orphansMade} orphans were made`);
  t.is(run.zombiesAfterChurn, 0);
  t.true(run.stopMs <= LARGEST_KILL_TIMEOUT_MS + 1000, `stopping took ${run.stopMs} ms`);
  t.is(run.exitCode, 0, run.output.slice(-3000));
  t.is(run.leftInNamespace, 0);
});

test('the zombie count is real: with the init turned off (NODE_UNIT_INIT=0) zombies pile up', async (t) => {
  t.is(process.getuid?.(), 0, 'unshare --pid needs root');
  const run = await runAsPid1(t, 5000, { NODE_UNIT_INIT: '0' });
  t.is(run.initComm, 'node');
  t.true(run.zombiesAfterChurn > 20, `${run.zombiesAfterChurn} zombies`);
});
