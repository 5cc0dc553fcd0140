import path from 'node:path';
import test from 'ava';
import { readCommand } from '../../src/util/proc.js';
import { cjsConfig } from '../helpers/control.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { startUp } from '../helpers/up.js';
import { waitFor } from '../helpers/wait.js';
import { guardMarkerOf, markedProcesses, PROCS, readTreePids, stillAlive, treeApps } from './procs.js';

const APPS = 20;

/** The watchdog waits this long after SIGTERM before SIGKILL (TERM_GRACE_MS in src/supervisor/orphan-guard.ts). */
const WATCHDOG_TERM_GRACE_MS = 1000;

test('SIGKILL of the supervisor with 20 apps and their grandchildren: no managed process is alive 2 s later', async (t) => {
  const dir = tempDir('nu-fault-kill-');
  const stubborn = { name: 'stubborn', script: path.join(PROCS, 'ignore-term.js'), kill_timeout: 60_000 };
  writeFiles(dir, { 'ecosystem.config.cjs': cjsConfig([...treeApps(dir, APPS), stubborn]) });
  const up = startUp(t, [], { cwd: dir });
  const stubbornLine = await up.waitForLine(/^stubborn\s+\| ignore-term started pid=\d+/, 30_000);
  const pids = await waitFor(() => readTreePids(dir, APPS), { timeoutMs: 30_000, what: `pid files of ${APPS} apps` });
  const stubbornPid = Number(/pid=(\d+)/.exec(stubbornLine)?.[1]);
  // 20 apps, 20 grandchildren in their groups, 10 that left their group; and one app that ignores SIGTERM.
  t.is(pids.length, APPS * 2 + APPS / 2);
  await waitFor(() => stillAlive([...pids, stubbornPid]).length === pids.length + 1, { what: 'every process to run' });
  const marker = guardMarkerOf(pids[0] ?? 0);
  if (marker === undefined) return t.fail('the first app carries no NODE_UNIT_GUARD marker');
  t.deepEqual([...markedProcesses(marker)].sort(), [...pids, stubbornPid].sort(), 'the marker is on exactly the managed processes');

  up.child.kill('SIGKILL');
  const killedAt = Date.now();
  const since = (): number => Math.max(1, Date.now() - killedAt);
  // Polls read /proc/PID/stat of the known pids only (cheap); the marker scan reads every process's environ.
  const trees = await waitFor(() => stillAlive(pids).length === 0 && since(), { timeoutMs: 2000, what: 'the app trees to be gone' }).catch(() => undefined);
  t.deepEqual(stillAlive(pids).map((pid) => `${pid} ${readCommand(pid)}`), [], 'no app or grandchild is alive 2 s after SIGKILL');
  t.deepEqual(markedProcesses(marker).filter((pid) => pid !== stubbornPid), [], 'no other process carries the marker');
  // The app that ignores SIGTERM waits out the watchdog's grace, then gets SIGKILL.
  const all = await waitFor(() => stillAlive([stubbornPid]).length === 0 && since(), { timeoutMs: WATCHDOG_TERM_GRACE_MS + 2000, what: 'the stubborn app to be killed' }).catch(() => undefined);
  t.not(all, undefined, "the app that ignores SIGTERM is gone within the watchdog's grace + 2 s of the trees");
  t.deepEqual(markedProcesses(marker), [], 'no process carries the marker at the end');
  t.log(`the ${pids.length} processes of the app trees gone ${trees ?? 'over 2000'} ms after SIGKILL; the app that ignores SIGTERM after ${all ?? 'over 3000'} ms`);
});
