import { setTimeout as delay } from 'node:timers/promises';
import type { ActionResult } from '../../model/controller.js';
import { printJsonOrFailure, withClient, type ProjectOptions } from '../control-target.js';
import { isRunning, readProcStat } from '../../util/proc.js';
import { stdoutColors } from '../output.js';

export type ActionVerb = 'start' | 'stop' | 'restart';

const DONE: Readonly<Record<ActionVerb | 'signal' | 'flush', string>> = { start: 'started', stop: 'stopped', restart: 'restarted', signal: 'signalled', flush: 'flushed the logs of' };

/** Prints what an action did (and any warning); an action error is exit 1. */
export function reportAction(result: ActionResult, done: string, json: boolean | undefined): number {
  const settled = printJsonOrFailure(result, json);
  if (settled !== undefined || !result.ok) return settled ?? 1;
  const c = stdoutColors();
  process.stdout.write(`${c.green(done)} ${result.instances.join(', ')}\n`);
  for (const warning of result.warnings ?? []) process.stderr.write(`${c.yellow('warning')} ${warning}\n`);
  return 0;
}

type JsonOption = { readonly json?: boolean };

export function actionCommand(verb: ActionVerb, target: string, options: ProjectOptions & JsonOption): Promise<number> {
  return withClient(options, async (client) => reportAction(await client[verb](target), DONE[verb], options.json));
}

export function signalCommand(signal: NodeJS.Signals, target: string, options: ProjectOptions & JsonOption): Promise<number> {
  return withClient(options, async (client) => reportAction(await client.signal(signal, target), `${DONE.signal} (${signal})`, options.json));
}

export function flushCommand(target: string | undefined, options: ProjectOptions & JsonOption): Promise<number> {
  return withClient(options, async (client) => reportAction(await client.flush(target), DONE.flush, options.json));
}

/** How long `down` waits, after every app stopped, for the supervisor process itself to be gone. */
const EXIT_WAIT_MS = 30_000;

/** Settles true once the process is gone (a zombie counts as gone), false at the deadline. Safe against pid reuse. */
async function processExited(pid: number, timeoutMs: number): Promise<boolean> {
  const startTime = readProcStat(pid)?.startTime;
  const deadline = Date.now() + timeoutMs;
  for (let wait = 2; ; wait = Math.min(50, wait * 2)) {
    const stat = readProcStat(pid);
    if (!isRunning(stat) || stat.startTime !== startTime) return true;
    if (Date.now() >= deadline) return false;
    await delay(wait);
  }
}

/** `down`: returns once every app has stopped and the supervisor process has exited (so a next `up` can start at once). */
export function downCommand(options: ProjectOptions & JsonOption): Promise<number> {
  return withClient(options, async (client, project) => {
    const { pid } = await client.hello();
    await client.shutdown("'node-unit down'");
    if (!(await processExited(pid, EXIT_WAIT_MS))) {
      process.stderr.write(`${stdoutColors().red('error')} every app of ${project} stopped, but the supervisor (pid ${pid}) has not exited after ${EXIT_WAIT_MS / 1000} s\n`);
      return 1;
    }
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: true, project, stopped: true })}\n`);
    else process.stdout.write(`${stdoutColors().green('stopped')} every app of ${project}; the supervisor exited\n`);
    return 0;
  });
}
