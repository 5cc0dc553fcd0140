import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { CLI } from './cli.js';
import { childrenOf, namespaceProcesses, pidNamespace, zombies } from './pidns.js';
import { FIXTURES, PROJECT_ROOT, tempDir } from './tmp.js';
import { waitFor } from './wait.js';

/** The largest kill_timeout of the project below: SIGTERM to PID 1 must end everything within it + 1 s. */
export const LARGEST_KILL_TIMEOUT_MS = 2000;

function project(): string {
  const dir = tempDir('nu-pid1-');
  const procs = path.join(FIXTURES, 'procs');
  const apps = [
    // Leaves an orphan every 30 ms and exits after 1.5 s: restarts and orphans, all the time.
    { name: 'churn', script: path.join(procs, 'orphans.js'), args: ['30', '1500'], instances: 2, exec_mode: 'fork', max_restarts: 100_000, kill_timeout: '1s' },
    { name: 'steady', script: path.join(procs, 'orphans.js'), args: ['100', '0'], kill_timeout: '1s' },
    // Ignores SIGINT and SIGTERM: stopped only by SIGKILL once its kill_timeout is over.
    { name: 'stubborn', script: path.join(procs, 'ignore-term.js'), kill_timeout: `${LARGEST_KILL_TIMEOUT_MS}ms` },
  ];
  fs.writeFileSync(path.join(dir, 'ecosystem.config.json'), JSON.stringify({ apps }, null, 2));
  return dir;
}

export interface Pid1Run {
  readonly initComm: string;
  readonly orphansMade: number;
  readonly zombiesAfterChurn: number;
  readonly stopMs: number;
  readonly exitCode: number | null;
  readonly leftInNamespace: number;
  readonly output: string;
}

/**
 * `unshare --pid --fork --mount-proc node bin/node-unit.js up --no-tui` (root only): node-unit is PID 1 of a
 * fresh pid namespace, as in a container. Churns for `churnMs`, counts zombies, then SIGTERMs PID 1.
 */
export async function runAsPid1(t: ExecutionContext, churnMs: number, env: NodeJS.ProcessEnv = {}): Promise<Pid1Run> {
  const dir = project();
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, CLI, 'up', '--no-tui', '--config', path.join(dir, 'ecosystem.config.json')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const pid1 = await waitFor(() => childrenOf(child.pid ?? 0)[0], { timeoutMs: 10_000, what: 'the pid namespace to start' });
  const namespace = await waitFor(() => pidNamespace(pid1), { what: 'the namespace of PID 1' });
  t.teardown(() => {
    for (const pid of namespaceProcesses(namespace)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
  const orphanLines = (): number => output.split('\n').filter((line) => /\| orphan \d+ left/.test(line)).length;
  await waitFor(() => /stubborn .*ignore-term started/.test(output) && orphanLines() > 10, { timeoutMs: 20_000, what: `the apps to start, in:\n${output.slice(-2000)}` });
  const initComm = fs.readFileSync(`/proc/${pid1}/comm`, 'utf8').trim();
  const churnEnds = Date.now() + churnMs;
  await waitFor(() => Date.now() >= churnEnds, { timeoutMs: churnMs + 1000, intervalMs: 250 });
  // An orphan that ended this very moment may not be reaped yet: zombies must be gone within a second.
  const zombiesAfterChurn = await waitFor(() => (zombies(namespace).length === 0 ? 'none' : undefined), { timeoutMs: 1000 }).then(
    () => 0,
    () => zombies(namespace).length,
  );
  const orphansMade = orphanLines();
  const signalled = Date.now();
  process.kill(pid1, 'SIGTERM');
  const exitCode = await exited;
  const stopMs = Date.now() - signalled;
  return { initComm, orphansMade, zombiesAfterChurn, stopMs, exitCode, leftInNamespace: namespaceProcesses(namespace).length, output };
}

/** What a run as PID 1 must show: the init in place, orphans made and reaped, a timely stop, exit 0, nothing left. */
export function assertCleanRun(t: ExecutionContext, run: Pid1Run, minOrphans: number): void {
  t.log(`${run.orphansMade} orphans made, ${run.zombiesAfterChurn} zombies after the churn, stopped in ${run.stopMs} ms with exit ${String(run.exitCode)}`);
  t.is(run.initComm, 'node-unit-init');
  t.true(run.orphansMade > minOrphans, `only ${run.orphansMade} orphans were made`);
  t.is(run.zombiesAfterChurn, 0);
  t.true(run.stopMs <= LARGEST_KILL_TIMEOUT_MS + 1000, `stopping took ${run.stopMs} ms`);
  t.is(run.exitCode, 0, run.output.slice(-3000));
  t.is(run.leftInNamespace, 0);
}
