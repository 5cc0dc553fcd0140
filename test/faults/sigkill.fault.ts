import path from 'node:path';
import test from 'ava';
import { cjsConfig } from '../helpers/control.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { startUp } from '../helpers/up.js';
import { waitFor } from '../helpers/wait.js';
import { guardMarkerOf, markedProcesses, PROCS, readTreePids, stillAlive, treeApps } from './procs.js';

const APPS = 20;

test('SIGKILL of the supervisor with 20 apps and their grandchildren: no managed process is alive 2 s later', async (t) => {
  const dir = tempDir('nu-fault-kill-');
  const stubborn = { name: 'stubborn', script: path.join(PROCS, 'ignore-term.js'), kill_timeout: 60_000 };
  writeFiles(dir, { 'ecosystem.config.cjs': cjsConfig([...treeApps(dir, APPS), stubborn]) });
  const up = startUp(t, [], { cwd: dir });
  const stubbornLine = await up.waitForLine(/^stubborn\s+\| ignore-term started pid=\d+/, 30_000);
  const treePids = await waitFor(() => readTreePids(dir, APPS), { timeoutMs: 30_000, what: `pid files of ${APPS} apps` });
  const pids = [...treePids, Number(/pid=(\d+)/.exec(stubbornLine)?.[1])];
  // 20 apps, 20 grandchildren in their groups, 10 that left their group, and the one that ignores SIGTERM.
  t.is(pids.length, APPS * 2 + APPS / 2 + 1);
  await waitFor(() => stillAlive(pids).length === pids.length, { what: 'every process to run' });
  const marker = guardMarkerOf(pids[0] ?? 0);
  if (marker === undefined) return t.fail('the first app carries no NODE_UNIT_GUARD marker');
  const marked = markedProcesses(marker);
  t.deepEqual([...marked].sort(), [...pids].sort(), 'the marker is on exactly the managed processes');

  up.child.kill('SIGKILL');
  const killedAt = Date.now();
  const allGone = (): number | false => stillAlive(pids).length === 0 && markedProcesses(marker).length === 0 && Math.max(1, Date.now() - killedAt);
  const elapsed = await waitFor(allGone, { timeoutMs: 2000, what: 'every managed process to be gone' }).catch(() => undefined);
  t.deepEqual(stillAlive(pids), [], 'no listed pid is alive');
  t.deepEqual(markedProcesses(marker), [], 'no process carries the marker');
  t.not(elapsed, undefined, 'within 2 s of SIGKILL');
  t.log(`all ${pids.length} managed processes gone ${elapsed ?? 'over 2000'} ms after SIGKILL`);
});
