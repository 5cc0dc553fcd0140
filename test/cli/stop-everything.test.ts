import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { guardMarkerOf, markedProcesses, PROCS } from '../faults/procs.js';
import { cjsConfig, upProject, type RunningProject } from '../helpers/control.js';
import { runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

// 20 apps, each leaving a detached grandchild re-parented out of its group, a double fork in a new session
// whose sleep ignores SIGTERM, and a child in its group that ignores SIGTERM. Checked by the marker every
// descendant inherits, not by pid: whatever carries it after a stop was left running.
const APPS = 20;
/** escapes.js, its child, and the two sleeps. */
const PER_APP = 4;

interface Escapes {
  readonly project: RunningProject;
  /** The supervisor's marker (an instance run's marker is `<supervisor>/<run>`). */
  readonly marker: string;
}

async function startEscapes(t: ExecutionContext): Promise<Escapes> {
  t.timeout(180_000);
  const apps = Array.from({ length: APPS }, (_, i) => ({ name: `esc${i}`, script: path.join(PROCS, 'escapes.js'), kill_timeout: 1000 }));
  const project = await upProject(t, { 'ecosystem.config.cjs': cjsConfig(apps) });
  const pids = await waitFor(
    () => {
      const found = [...project.up.output().matchAll(/escapes started pid=(\d+)/g)].map((match) => Number(match[1]));
      return found.length >= APPS ? found : undefined;
    },
    { timeoutMs: 90_000, what: `${APPS} apps to start` },
  );
  const marker = guardMarkerOf(pids[0] ?? 0)?.split('/')[0];
  if (marker === undefined) throw new Error('the apps carry no marker');
  await waitFor(() => markedProcesses(marker).length >= APPS * PER_APP, { timeoutMs: 60_000, what: `${APPS * PER_APP} marked processes (have ${markedProcesses(marker).length})` });
  t.teardown(() => {
    for (const pid of markedProcesses(marker)) process.kill(pid, 'SIGKILL');
  });
  return { project, marker };
}

test.serial('Ctrl-C: when up has exited, no process carries its marker', async (t) => {
  const { project, marker } = await startEscapes(t);
  project.up.child.kill('SIGINT');
  t.is((await project.up.exited).code, 0);
  t.deepEqual(markedProcesses(marker), []);
});

test.serial('down: when it returns, no process carries the marker', async (t) => {
  const { project, marker } = await startEscapes(t);
  const down = await runCli(['down'], { cwd: project.dir, timeoutMs: 60_000 });
  t.is(down.code, 0, down.stderr);
  t.deepEqual(markedProcesses(marker), []);
});

test.serial('stop all, then restart all: nothing of a stopped run is left running', async (t) => {
  const { project, marker } = await startEscapes(t);
  const stop = await runCli(['stop', 'all'], { cwd: project.dir, timeoutMs: 60_000 });
  t.is(stop.code, 0, stop.stderr);
  t.deepEqual(markedProcesses(marker), [], 'after stop');

  await runCli(['start', 'all'], { cwd: project.dir, timeoutMs: 60_000 });
  await waitFor(() => markedProcesses(marker).length >= APPS * PER_APP, { timeoutMs: 90_000, what: 'the apps to run again' });
  const before = new Set(markedProcesses(marker).map((pid) => guardMarkerOf(pid)));
  const restart = await runCli(['restart', 'all'], { cwd: project.dir, timeoutMs: 90_000 });
  t.is(restart.code, 0, restart.stderr);
  const oldRuns = markedProcesses(marker).filter((pid) => before.has(guardMarkerOf(pid)));
  t.deepEqual(oldRuns, [], 'after restart, processes of the runs before it');
});
