import os from 'node:os';
import type { Controller, LogStream } from '../../src/index.js';
import { REMOTE_VERBS, type RemoteVerb } from './policy.js';

/**
 * A verb the master's CLI asks of some nodes, decoded from the RPC's params. It never throws: a bad command becomes a
 * message naming what was wrong. Every verb maps to one call of the worker's own Controller.
 */
export type RemoteCommand =
  | { readonly verb: 'ls' }
  | { readonly verb: 'describe' | 'start' | 'stop' | 'restart' | 'flush'; readonly target: string }
  | { readonly verb: 'reload'; readonly target: string | undefined }
  | { readonly verb: 'signal'; readonly target: string; readonly signal: NodeJS.Signals }
  | { readonly verb: 'logs'; readonly target: string | undefined; readonly lines: number; readonly streams?: readonly LogStream[] }
  /** An app spec for the node to start: its shape and paths are the worker's to check (remote-spec.ts). */
  | { readonly verb: 'add'; readonly app: Readonly<Record<string, unknown>> };

const MAX_TARGET = 256;
const MAX_LINES = 10_000;
const SIGNALS: ReadonlySet<string> = new Set(Object.keys(os.constants.signals));

const isTarget = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_TARGET && /^[\x21-\x7e]+$/.test(value);
const isSignal = (value: unknown): value is NodeJS.Signals => typeof value === 'string' && SIGNALS.has(value);

/** The target of a command, for the audit log. */
export function targetOf(command: RemoteCommand): string {
  if (command.verb === 'ls') return 'all';
  if (command.verb === 'add') return typeof command.app.name === 'string' ? command.app.name.slice(0, MAX_TARGET) : 'app';
  return command.target ?? 'all';
}

const isSpecObject = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function decodeRemoteCommand(raw: unknown): RemoteCommand | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'expected a command object';
  const f = raw as Readonly<Record<string, unknown>>;
  if (f.verb === 'add') return isSpecObject(f.app) ? { verb: 'add', app: f.app } : 'add: app: expected an app spec object ({ name, script, args?, cwd?, interpreter?, env? })';
  const verb = REMOTE_VERBS.find((v: RemoteVerb) => v === f.verb);
  if (!verb) return `verb: expected one of ${REMOTE_VERBS.join(', ')} or add, got ${JSON.stringify(f.verb)?.slice(0, 40) ?? typeof f.verb}`;
  const target = isTarget(f.target) ? f.target : undefined;
  const optionalTarget = f.target === undefined || target !== undefined;
  switch (verb) {
    case 'ls':
      return { verb };
    case 'describe':
    case 'start':
    case 'stop':
    case 'restart':
    case 'flush':
      return isTarget(f.target) ? { verb, target: f.target } : `${verb}: target: expected an app, app:index, namespace or "all"`;
    case 'reload':
      return optionalTarget ? { verb, target } : 'reload: target: expected an app, app:index or namespace';
    case 'signal':
      if (!isSignal(f.signal)) return `signal: signal: expected a signal name such as "SIGUSR2", got ${JSON.stringify(f.signal)?.slice(0, 20) ?? typeof f.signal}`;
      return isTarget(f.target) ? { verb, target: f.target, signal: f.signal } : 'signal: target: expected an app, app:index, namespace or "all"';
    case 'logs': {
      const lines = f.lines ?? 100;
      if (typeof lines !== 'number' || !Number.isSafeInteger(lines) || lines < 0 || lines > MAX_LINES) return `logs: lines: expected an integer from 0 to ${MAX_LINES}`;
      const streams = f.streams;
      if (streams !== undefined && !(Array.isArray(streams) && streams.length > 0 && streams.every((s) => s === 'out' || s === 'err'))) return 'logs: streams: expected ["out"], ["err"] or both';
      if (!optionalTarget) return 'logs: target: expected an app, app:index, namespace or "all"';
      return streams === undefined ? { verb, target, lines } : { verb, target, lines, streams: streams.filter((s): s is LogStream => s === 'out' || s === 'err') };
    }
  }
}

/** Runs a command on a Controller (the master's own, or a worker's through its ControlClient): one call each. */
export async function runOn(controller: Controller, command: RemoteCommand): Promise<unknown> {
  switch (command.verb) {
    case 'ls':
      return controller.list();
    case 'describe':
      return controller.describe(command.target);
    case 'start':
      return controller.start(command.target);
    case 'stop':
      return controller.stop(command.target);
    case 'restart':
      return controller.restart(command.target);
    case 'flush':
      return controller.flush(command.target);
    case 'reload':
      return controller.reload(command.target, { planOnly: false });
    case 'signal':
      return controller.signal(command.signal, command.target);
    case 'logs':
      return controller.logs(command.target, command.streams === undefined ? { lines: command.lines } : { lines: command.lines, streams: command.streams });
    case 'add':
      // A worker resolves the spec's paths from its own config folder, whatever folder is named here.
      if (!controller.addApp) throw new Error('this node cannot start an app spec');
      return controller.addApp(command.app, process.cwd());
  }
}

/** Verbs that change something on the node (audited, de-duplicated by command id). */
export const isAction = (command: RemoteCommand): boolean => command.verb !== 'ls' && command.verb !== 'describe' && command.verb !== 'logs';
