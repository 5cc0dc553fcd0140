import type { ChildProcess } from 'node:child_process';
import type { AppSpec, EnvSource } from '../model/app.js';
import { resolveCommand } from './command.js';
import { instanceEnv } from './env.js';
import { freePort, portTaken } from './ports.js';
import { closePipe, pipePool } from './pipes.js';
import { cwdProblem, spawnInstance, takesPipes, type OutputPipes, type Spawned } from './spawn.js';

export type Launch =
  | {
      readonly ok: true;
      readonly spawned: Spawned;
      readonly env: Readonly<Record<string, string>>;
      readonly sources: Readonly<Record<string, EnvSource>>;
      /** Env files that could not be read at this start. */
      readonly problems: readonly string[];
      readonly ipc: boolean;
    }
  | { readonly ok: false; readonly kind: 'refused'; readonly reason: string }
  /** Stopped while the checks ran: nothing was spawned. */
  | { readonly ok: false; readonly kind: 'cancelled' }
  /** spawn() returned no pid: the reason arrives as the child's 'error' event. */
  | { readonly ok: false; readonly kind: 'failed-to-spawn'; readonly child: ChildProcess; readonly file: string };

/** Named ports of an instance; 0 becomes a free port, kept for the instance's later restarts. */
export async function assignPorts(app: AppSpec): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const [variable, port] of Object.entries(app.ports)) ports[variable] = port === 0 ? await freePort() : port;
  return ports;
}

async function portProblem(app: AppSpec, ports: Readonly<Record<string, number>>): Promise<string | undefined> {
  // Cluster workers share their ports through the primary: a port in use is expected there.
  if (app.execMode === 'cluster') return undefined;
  for (const [variable, port] of Object.entries(ports)) {
    if (app.ports[variable] !== 0 && (await portTaken(port))) return `port ${port} (${variable}) is already in use`;
  }
  return undefined;
}

/** Everything between "start this instance" and a running child: checks, environment, command, spawn. */
export async function prepareLaunch(
  app: AppSpec,
  index: number,
  parentEnv: Readonly<Record<string, string | undefined>>,
  ports: Readonly<Record<string, number>>,
  hooks: {
    readonly stillWanted: () => boolean;
    /** Called synchronously right after the spawn: the orphan guard must know the pid before anything else runs. */
    readonly spawned: (pid: number) => void;
    readonly marker: { readonly name: string; readonly value: string } | undefined;
  },
): Promise<Launch> {
  const problem = cwdProblem(app.cwd) ?? (await portProblem(app, ports));
  if (!hooks.stillWanted()) return { ok: false, kind: 'cancelled' };
  if (problem) return { ok: false, kind: 'refused', reason: problem };
  const { env, sources, problems } = instanceEnv(app, index, parentEnv, ports, hooks.marker);
  const command = resolveCommand(app, env.PATH);
  if (!command.ok) return { ok: false, kind: 'refused', reason: command.reason };
  await spawnTurn();
  const pipes = takesPipes(app, command) ? await outputPipes() : undefined;
  if (!hooks.stillWanted()) {
    if (pipes) for (const pipe of pipes) closePipe(pipe);
    return { ok: false, kind: 'cancelled' };
  }
  let child: Spawned;
  try {
    child = spawnInstance(app, command, env, pipes);
  } catch (error) {
    return { ok: false, kind: 'refused', reason: `could not start: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (child.child.pid === undefined) return { ok: false, kind: 'failed-to-spawn', child: child.child, file: command.file };
  hooks.spawned(child.child.pid);
  const extraSources = Object.fromEntries(Object.keys(command.extraEnv).map((name) => [name, { kind: 'node-unit' } as const]));
  return { ok: true, spawned: child, env: { ...env, ...command.extraEnv }, sources: { ...sources, ...extraSources }, problems, ipc: command.node };
}

let lastTurn: Promise<void> = Promise.resolve();

/**
 * Spawns one at a time, each in a turn of the event loop of its own. spawn() returns only once the child has
 * exec'd (libuv waits for it), which on a loaded machine takes tens of ms; `restart all` with 60 apps
 * spawned them all in one turn and left the control socket unanswered for seconds.
 */
function spawnTurn(): Promise<void> {
  const turn = lastTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  lastTurn = turn;
  return turn;
}

async function outputPipes(): Promise<OutputPipes | undefined> {
  const pipes = await pipePool.take(2);
  const [out, err] = pipes ?? [];
  return out && err ? [out, err] : undefined;
}
