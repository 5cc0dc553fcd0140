import type { ActionResult } from '../../model/controller.js';
import { printJsonOrFailure, withClient, type ProjectOptions } from '../control-target.js';
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

export function downCommand(options: ProjectOptions & JsonOption): Promise<number> {
  return withClient(options, async (client, project) => {
    await client.shutdown("'node-unit down'");
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: true, project, stopped: true })}\n`);
    else process.stdout.write(`${stdoutColors().green('stopped')} every app of ${project}; the supervisor exited\n`);
    return 0;
  });
}
