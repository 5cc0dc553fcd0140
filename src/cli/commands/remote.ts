import { decodeResult } from '../../control/reply-decode.js';
import type { RequestType } from '../../control/protocol.js';
import type { LogLine, LogStream } from '../../model/events.js';
import { printError, withClient, type ProjectOptions } from '../control-target.js';
import { instanceRow } from '../instance-format.js';
import { stdoutColors, type Palette } from '../output.js';
import { section } from './describe.js';
import { printers, type LogsOptions, type Printer } from './logs.js';

/**
 * `<verb> … --node <name|id|label=value|all>` on a federation master: the master runs the verb on every node
 * the selector names, in parallel, and answers one outcome per node. Each node is printed by name; any node
 * that failed, refused, could not be reached or whose outcome is unknown makes the exit code 1, and never
 * hides the others' results.
 */

export type RemoteVerb = 'describe' | 'start' | 'stop' | 'restart' | 'reload' | 'signal' | 'flush' | 'logs';

export interface RemoteCommand {
  readonly verb: RemoteVerb;
  readonly target: string | undefined;
  readonly signal?: NodeJS.Signals;
  /** logs: how many recent lines each node gives, of which streams. */
  readonly lines?: number;
  readonly streams?: readonly LogStream[];
}

export interface NodeOptions extends ProjectOptions {
  readonly node: string;
  readonly commandId?: string;
  readonly json?: boolean;
}

const STATUSES = ['ok', 'failed', 'refused', 'unreachable', 'unknown'] as const;
type Status = (typeof STATUSES)[number];

interface Outcome {
  readonly node: string;
  readonly status: Status;
  readonly value: unknown;
  readonly message: string | undefined;
}

const DONE: Readonly<Record<RemoteVerb, string>> = { logs: 'read the logs of', describe: 'described', start: 'started', stop: 'stopped', restart: 'restarted', reload: 'reloaded', signal: 'signalled', flush: 'flushed the logs of' };

type Fields = Readonly<Record<string, unknown>>;
export const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The master's answer, read field by field: a malformed one is an error naming what was wrong. */
export function decodeOutcomes(raw: unknown): readonly Outcome[] | string {
  if (!Array.isArray(raw)) return 'the master answered something other than a list of node outcomes';
  const outcomes: Outcome[] = [];
  for (const [i, item] of raw.entries()) {
    const status = isFields(item) ? STATUSES.find((s) => s === item.status) : undefined;
    if (!isFields(item) || typeof item.node !== 'string' || status === undefined) return `outcome ${i}: expected {node, status: ${STATUSES.join(' | ')}}`;
    outcomes.push({ node: item.node, status, value: item.value, message: typeof item.message === 'string' ? item.message : undefined });
  }
  return outcomes;
}

function successLine(verb: RemoteVerb, value: unknown, c: Palette): string {
  const decoded = decodeResult(verb as RequestType, value);
  const instances = decoded.ok && isFields(decoded.value) && Array.isArray(decoded.value.instances) ? decoded.value.instances : [];
  const ids = instances.map((instance: unknown) => (typeof instance === 'string' ? instance : isFields(instance) && isFields(instance.info) ? String(instance.info.id) : '?'));
  return `${c.green(DONE[verb])} ${ids.join(', ') || '(nothing)'}`;
}

function describeText(value: unknown, c: Palette): string {
  const decoded = decodeResult('describe', value);
  if (!decoded.ok || !decoded.value.ok) return '';
  const now = Date.now();
  return decoded.value.instances.map((detail) => section(detail, instanceRow(detail.info, now), c)).join('\n\n');
}

/** A node's line as the viewer shows it: named `node/app` (`node/app:N`). */
export const named = (node: string, line: LogLine): LogLine => ({ ...line, ...namedIds(node, line) });

/** The fields that name a node's line (or run of lines): `node`, `node/app`, `node/app:N`. */
export const namedIds = <I extends string>(node: string, of: { readonly app: string; readonly id: I }): { readonly node: string; readonly app: string; readonly id: `${string}/${I}` } => ({ node, app: `${node}/${of.app}`, id: `${node}/${of.id}` });

/** Every node's lines merged by time, each named `node/app` (or `node/app:N`), in the colours `logs` uses. */
function printLogs(outcomes: readonly Outcome[], show: Printer): void {
  const lines: LogLine[] = [];
  for (const outcome of outcomes) {
    const decoded = outcome.status === 'ok' ? decodeResult('logs', outcome.value) : undefined;
    if (decoded?.ok && decoded.value.ok) lines.push(...decoded.value.lines.map((line) => named(outcome.node, line)));
  }
  show(lines.sort((a, b) => a.time - b.time));
}

/** Names every app: the same app on two nodes is two names. */
export const namedPrinters = (options: LogsOptions): ReturnType<typeof printers> => printers(options, { has: () => true });
export const namedPrinter = (options: LogsOptions): Printer => namedPrinters(options).lines;

export function printOutcomes(command: RemoteCommand, outcomes: readonly Outcome[], show: Printer): void {
  const c = stdoutColors();
  if (command.verb === 'logs') printLogs(outcomes, show);
  const width = Math.max(4, ...outcomes.map((o) => o.node.length));
  for (const outcome of outcomes) {
    const name = c.bold(outcome.node.padEnd(width));
    if (outcome.status !== 'ok') {
      (command.verb === 'logs' ? process.stderr : process.stdout).write(`${name}  ${c.red(outcome.status)} ${outcome.message ?? ''}\n`);
      continue;
    }
    if (command.verb === 'logs') continue;
    if (command.verb === 'describe') process.stdout.write(`${name}\n${describeText(outcome.value, c)}\n`);
    else process.stdout.write(`${name}  ${successLine(command.verb, outcome.value, c)}${command.signal ? ` (${command.signal})` : ''}\n`);
  }
}

export function paramsOf(command: RemoteCommand, options: NodeOptions): object {
  const { verb, target, signal, lines, streams } = command;
  return { node: options.node, command: { verb, ...(target === undefined ? {} : { target }), ...(signal ? { signal } : {}), ...(lines === undefined ? {} : { lines }), ...(streams ? { streams } : {}) }, ...(options.commandId ? { commandId: options.commandId } : {}) };
}

/** Sends the verb to the master's federation plugin and prints what each node answered. */
export function remoteCommand(command: RemoteCommand, options: NodeOptions & LogsOptions): Promise<number> {
  if (command.verb === 'logs' && options.follow) return import('./remote-follow.js').then((follow) => follow.remoteFollow(command, options));
  return runOnNodes(paramsOf(command, options), command, options);
}

/** Has the master run `params` on its nodes; prints each node's outcome as `shown`'s verb reads. */
export function runOnNodes(params: object, shown: RemoteCommand, options: NodeOptions & LogsOptions): Promise<number> {
  return withClient(options, async (client) => {
    const outcomes = decodeOutcomes(await client.callPlugin('federation', 'run', params));
    if (typeof outcomes === 'string') {
      printError(outcomes);
      return 1;
    }
    if (options.json) process.stdout.write(`${JSON.stringify(outcomes.map((o) => ({ node: o.node, status: o.status, ...(o.status === 'ok' ? { result: o.value } : { message: o.message ?? '' }) })))}\n`);
    else printOutcomes(shown, outcomes, namedPrinter(options));
    return outcomes.every((o) => o.status === 'ok') ? 0 : 1;
  });
}
