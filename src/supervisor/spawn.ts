import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { LentChunks } from '../logs/reader.js';
import type { AppSpec } from '../model/app.js';
import { nodeArgs, type Command } from './command.js';
import { closePipe, closeReadEnd, pipeReader, type Pipe } from './pipes.js';
import { lazyBuiltin } from '../util/lazy-builtin.js';

const loadCluster = lazyBuiltin<typeof import('node:cluster').default>('node:cluster');

export interface Spawned {
  readonly child: ChildProcess;
  /** The child leads its own process group. Cluster workers share the supervisor's group. */
  readonly group: boolean;
  /** Cluster workers only: calls back on the worker's 'online' event (it started and runs its code), when pm2 marks it online. */
  readonly onOnline: ((listener: () => void) => void) | undefined;
  /** The child's output as the supervisor reads it (from our own pipes, or child_process' streams). */
  readonly stdout: Readable | LentChunks | null;
  readonly stderr: Readable | LentChunks | null;
}

/** Pipes for a child's stdout and stderr (see pipes.ts); without them child_process makes socketpairs. */
export type OutputPipes = readonly [out: Pipe, err: Pipe];

type RunnableCommand = Extract<Command, { ok: true }>;

let schedulingSet = false;

/** A cluster worker: the supervisor is the primary, so instances share the app's listening port. */
function forkWorker(app: AppSpec, command: RunnableCommand, env: Readonly<Record<string, string>>): Spawned {
  const cluster = loadCluster();
  if (!schedulingSet) {
    // The kernel balances accepts: the supervisor stays out of the data path.
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    schedulingSet = true;
  }
  const execArgv = nodeArgs(app);
  const [script, ...args] = command.args.slice(execArgv.length);
  cluster.setupPrimary({ exec: script ?? app.script, args, execArgv: [...execArgv], cwd: app.cwd, silent: true });
  const worker = cluster.fork(env);
  const child = worker.process;
  return { child, group: false, onOnline: (listener) => void worker.once('online', () => listener()), stdout: child.stdout, stderr: child.stderr };
}

/** Whether spawnInstance would use output pipes for this app (cluster workers are forked by node:cluster). */
export function takesPipes(app: AppSpec, command: RunnableCommand): boolean {
  return !(app.execMode === 'cluster' && command.node);
}

export function spawnInstance(app: AppSpec, command: RunnableCommand, env: Readonly<Record<string, string>>, pipes?: OutputPipes): Spawned {
  if (!takesPipes(app, command)) return forkWorker(app, command, env);
  const output = (pipe: Pipe | undefined): number | 'pipe' => pipe?.writeFd ?? 'pipe';
  let child: ChildProcess;
  try {
    child = spawn(command.file, [...command.args], {
      cwd: app.cwd,
      env: { ...env, ...command.extraEnv },
      detached: true,
      stdio: ['ignore', output(pipes?.[0]), output(pipes?.[1]), ...(command.node ? ['ipc' as const] : [])],
    });
  } catch (error) {
    if (pipes) for (const pipe of pipes) closePipe(pipe);
    throw error;
  }
  if (!pipes) return { child, group: true, onOnline: undefined, stdout: child.stdout, stderr: child.stderr };
  // The child holds its own copies of the write ends; ours would keep the pipes open after it exits.
  for (const pipe of pipes) fs.closeSync(pipe.writeFd);
  if (child.pid === undefined) {
    for (const pipe of pipes) closeReadEnd(pipe);
    return { child, group: true, onOnline: undefined, stdout: null, stderr: null };
  }
  return { child, group: true, onOnline: undefined, stdout: pipeReader(pipes[0]), stderr: pipeReader(pipes[1]) };
}

/** Why an instance cannot start in this folder, or undefined. */
export function cwdProblem(cwd: string): string | undefined {
  try {
    return fs.statSync(cwd).isDirectory() ? undefined : `cwd ${cwd} is not a folder`;
  } catch {
    return `cwd ${cwd} does not exist`;
  }
}
