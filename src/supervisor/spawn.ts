import { spawn, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import fs from 'node:fs';
import type { AppSpec } from '../model/app.js';
import type { Command } from './command.js';

export interface Spawned {
  readonly child: ChildProcess;
  /** The child leads its own process group. Cluster workers share the supervisor's group. */
  readonly group: boolean;
  /** Cluster workers only: calls back once this worker listens (its own socket, not the shared port). */
  readonly onListening: ((listener: () => void) => void) | undefined;
}

type RunnableCommand = Extract<Command, { ok: true }>;

let schedulingSet = false;

/** A cluster worker: the supervisor is the primary, so instances share the app's listening port. */
function forkWorker(app: AppSpec, command: RunnableCommand, env: Readonly<Record<string, string>>): Spawned {
  if (!schedulingSet) {
    // The kernel balances accepts: the supervisor stays out of the data path.
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    schedulingSet = true;
  }
  const [script, ...args] = command.args.slice(app.interpreterArgs.length);
  cluster.setupPrimary({ exec: script ?? app.script, args, execArgv: [...app.interpreterArgs], cwd: app.cwd, silent: true });
  const worker = cluster.fork(env);
  return { child: worker.process, group: false, onListening: (listener) => void worker.once('listening', () => listener()) };
}

export function spawnInstance(app: AppSpec, command: RunnableCommand, env: Readonly<Record<string, string>>): Spawned {
  if (app.execMode === 'cluster' && command.node) return forkWorker(app, command, env);
  const child = spawn(command.file, [...command.args], {
    cwd: app.cwd,
    env: { ...env, ...command.extraEnv },
    detached: true,
    stdio: command.node ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  return { child, group: true, onListening: undefined };
}

/** Why an instance cannot start in this folder, or undefined. */
export function cwdProblem(cwd: string): string | undefined {
  try {
    return fs.statSync(cwd).isDirectory() ? undefined : `cwd ${cwd} is not a folder`;
  } catch {
    return `cwd ${cwd} does not exist`;
  }
}
