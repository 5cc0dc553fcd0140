import test from 'ava';
import { assertCleanRun, runAsPid1 } from '../helpers/pid1.js';

test('up as PID 1: a minute of orphans and restarts leaves no zombie; SIGTERM ends all in time with exit 0', async (t) => {
  t.is(process.getuid?.(), 0, 'unshare --pid needs root');
  assertCleanRun(t, await runAsPid1(t, 60_000), 400);
});

test('the zombie count is real: with the init turned off (NODE_UNIT_INIT=0) zombies pile up', async (t) => {
  t.is(process.getuid?.(), 0, 'unshare --pid needs root');
  const run = await runAsPid1(t, 5000, { NODE_UNIT_INIT: '0' });
  t.is(run.initComm, 'node');
  t.true(run.zombiesAfterChurn > 20, `${run.zombiesAfterChurn} zombies`);
});
