import os from 'node:os';
import type { ActionResult, DescribeResult, LogsResult, ReloadResult, ScaleChange } from '../model/controller.js';
import type { InstanceInfo, LogStream, SupervisorEvent } from '../model/events.js';

/**
 * The control socket's wire format: one JSON object per line (NDJSON), each carrying the protocol version.
 * The client sends requests; the server sends replies (matched by id) and events (matched by subscription id).
 */

export const PROTOCOL_VERSION = 1;
/** Longest line a peer may send; longer lines are refused while being read, never buffered whole. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

type Envelope<T extends string, Body = object> = { readonly v: typeof PROTOCOL_VERSION; readonly id: number; readonly type: T } & Readonly<Body>;

export type Request =
  | Envelope<'hello'>
  | Envelope<'list'>
  | Envelope<'describe', { target: string }>
  | Envelope<'start', { target: string }>
  | Envelope<'stop', { target: string }>
  | Envelope<'restart', { target: string; updateEnv?: boolean }>
  | Envelope<'reload', { target?: string; planOnly: boolean }>
  | Envelope<'signal', { signal: NodeJS.Signals; target: string }>
  | Envelope<'flush', { target?: string }>
  | Envelope<'logs', { target?: string; lines: number; streams?: readonly LogStream[] }>
  | Envelope<'subscribe', { logs: string; metrics?: boolean }>
  | Envelope<'unsubscribe', { subscription: number }>
  | Envelope<'shutdown', { reason: string }>
  | Envelope<'add', { app: Readonly<Record<string, unknown>>; cwd: string }>
  | Envelope<'delete', { target: string }>
  | Envelope<'scale', { app: string; change: ScaleChange }>
  | Envelope<'reset', { target: string }>;

export type RequestType = Request['type'];

export interface HelloResult {
  readonly pid: number;
  readonly project: string;
  readonly version: string;
  readonly protocol: number;
}

/** What each request's reply carries when ok. */
export interface ResultMap {
  readonly hello: HelloResult;
  readonly list: readonly InstanceInfo[];
  readonly describe: DescribeResult;
  readonly start: ActionResult;
  readonly stop: ActionResult;
  readonly restart: ActionResult;
  readonly reload: ReloadResult;
  readonly signal: ActionResult;
  readonly flush: ActionResult;
  readonly logs: LogsResult;
  readonly subscribe: { readonly subscription: number };
  readonly unsubscribe: { readonly subscription: number };
  readonly shutdown: { readonly stopped: true };
  readonly add: ActionResult;
  readonly delete: ActionResult;
  readonly scale: ActionResult;
  readonly reset: ActionResult;
}

export type ProtocolErrorCode = 'bad_json' | 'not_an_object' | 'unsupported_version' | 'unknown_type' | 'invalid_field' | 'too_large' | 'internal';

export interface ProtocolError {
  readonly code: ProtocolErrorCode;
  readonly message: string;
}

export type Reply =
  | { readonly v: typeof PROTOCOL_VERSION; readonly type: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly v: typeof PROTOCOL_VERSION; readonly type: 'reply'; readonly id: number | null; readonly ok: false; readonly error: ProtocolError };

export interface EventMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly type: 'event';
  readonly subscription: number;
  readonly event: SupervisorEvent;
}

export type ServerMessage = Reply | EventMessage;

export type Decoded<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly id: number | null; readonly error: ProtocolError };

type Fields = Readonly<Record<string, unknown>>;
type Body<T extends RequestType> = Omit<Extract<Request, { type: T }>, 'v' | 'id' | 'type'>;
type FieldCheck<T extends RequestType> = (fields: Fields) => Body<T> | string;

const SIGNALS: ReadonlySet<string> = new Set(Object.keys(os.constants.signals));
const MAX_TARGET = 256;

/** JSON text of a decoded value; a nesting too deep for JSON.stringify's recursion (JSON.parse has none) gives a stub. */
function preview(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? '[…]' : '{…}';
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = preview(value);
  return `${text.length > 40 ? `${text.slice(0, 40)}…` : text} (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
}

const isTarget = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '' && value.length <= MAX_TARGET;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function target(fields: Fields): string | { readonly target: string } {
  return isTarget(fields.target) ? { target: fields.target } : `target: expected a non-empty string, got ${describeValue(fields.target)}`;
}

function optionalTarget(fields: Fields): string | { readonly target?: string } {
  return fields.target === undefined ? {} : target(fields);
}

function logs(fields: Fields): Body<'logs'> | string {
  const where = optionalTarget(fields);
  if (typeof where === 'string') return where;
  if (!isCount(fields.lines) || fields.lines > 100_000) return `lines: expected an integer from 0 to 100000, got ${describeValue(fields.lines)}`;
  const streams = fields.streams;
  if (streams === undefined) return { ...where, lines: fields.lines };
  if (!Array.isArray(streams) || !streams.every((s): s is LogStream => s === 'out' || s === 'err')) return `streams: expected an array of "out" and "err", got ${describeValue(streams)}`;
  return { ...where, lines: fields.lines, streams };
}

const CHECKS: { readonly [T in RequestType]: FieldCheck<T> } = {
  hello: () => ({}),
  list: () => ({}),
  describe: target,
  start: target,
  stop: target,
  restart: (fields) => {
    const where = target(fields);
    if (typeof where === 'string' || fields.updateEnv === undefined) return where;
    return typeof fields.updateEnv === 'boolean' ? { ...where, updateEnv: fields.updateEnv } : `updateEnv: expected true or false, got ${describeValue(fields.updateEnv)}`;
  },
  reload: (fields) => {
    const where = optionalTarget(fields);
    if (typeof where === 'string') return where;
    return typeof fields.planOnly === 'boolean' ? { ...where, planOnly: fields.planOnly } : `planOnly: expected a boolean, got ${describeValue(fields.planOnly)}`;
  },
  signal: (fields) => {
    const where = target(fields);
    if (typeof where === 'string') return where;
    const signal = fields.signal;
    return typeof signal === 'string' && SIGNALS.has(signal) ? { ...where, signal: signal as NodeJS.Signals } : `signal: expected a signal name such as "SIGUSR2", got ${describeValue(signal)}`;
  },
  flush: optionalTarget,
  logs,
  subscribe: (fields) => {
    if (fields.logs !== 'none' && !isTarget(fields.logs)) return `logs: expected "all", "none" or a target, got ${describeValue(fields.logs)}`;
    if (fields.metrics !== undefined && typeof fields.metrics !== 'boolean') return `metrics: expected true or false, got ${describeValue(fields.metrics)}`;
    return fields.metrics === undefined ? { logs: fields.logs } : { logs: fields.logs, metrics: fields.metrics };
  },
  unsubscribe: (fields) => (isCount(fields.subscription) ? { subscription: fields.subscription } : `subscription: expected a subscription id, got ${describeValue(fields.subscription)}`),
  shutdown: (fields) => (typeof fields.reason === 'string' && fields.reason.length <= MAX_TARGET ? { reason: fields.reason } : `reason: expected a string, got ${describeValue(fields.reason)}`),
  add: (fields) => {
    const app = fields.app;
    if (typeof app !== 'object' || app === null || Array.isArray(app)) return `app: expected an object of app keys, got ${describeValue(app)}`;
    if (typeof fields.cwd !== 'string' || !fields.cwd.startsWith('/') || fields.cwd.length > 4096) return `cwd: expected an absolute path, got ${describeValue(fields.cwd)}`;
    return { app: app as Readonly<Record<string, unknown>>, cwd: fields.cwd };
  },
  delete: target,
  scale: (fields) => {
    if (!isTarget(fields.app)) return `app: expected an app name, got ${describeValue(fields.app)}`;
    const change = fields.change;
    const ok = typeof change === 'object' && change !== null && (('kind' in change && change.kind === 'to' && 'count' in change && isCount(change.count)) || ('kind' in change && change.kind === 'by' && 'delta' in change && Number.isSafeInteger(change.delta)));
    return ok ? { app: fields.app, change: change as ScaleChange } : `change: expected {"kind":"to","count":N} or {"kind":"by","delta":±N}, got ${describeValue(change)}`;
  },
  reset: target,
};

const isRequestType = (type: unknown): type is RequestType => typeof type === 'string' && Object.hasOwn(CHECKS, type);

function fail(id: number | null, code: ProtocolErrorCode, message: string): Decoded<never> {
  return { ok: false, id, error: { code, message } };
}

/** Raw text or a parsed value → an object, or the error to tell the peer. */
function parse(raw: unknown): Decoded<Fields> {
  let value = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try {
      value = JSON.parse(raw.toString());
    } catch (error) {
      return fail(null, 'bad_json', `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(null, 'not_an_object', `expected a JSON object, got ${describeValue(value)}`);
  return { ok: true, message: value as Fields };
}

function checkVersion(fields: Fields, id: number | null): Decoded<never> | undefined {
  if (fields.v === PROTOCOL_VERSION) return undefined;
  return fail(id, 'unsupported_version', `protocol version ${describeValue(fields.v)} is not supported; this supervisor speaks version ${PROTOCOL_VERSION}`);
}

/** The only door for a client's input: never throws; anything unexpected becomes an error to reply with. */
export function decode(raw: unknown): Decoded<Request> {
  const parsed = parse(raw);
  if (!parsed.ok) return parsed;
  const fields = parsed.message;
  const id = isCount(fields.id) ? fields.id : null;
  const badVersion = checkVersion(fields, id);
  if (badVersion) return badVersion;
  if (id === null) return fail(null, 'invalid_field', `id: expected a non-negative integer, got ${describeValue(fields.id)}`);
  if (!isRequestType(fields.type)) return fail(id, 'unknown_type', `unknown request type ${describeValue(fields.type)}; expected one of ${Object.keys(CHECKS).join(', ')}`);
  const type = fields.type;
  const body = (CHECKS[type] as FieldCheck<RequestType>)(fields);
  if (typeof body === 'string') return fail(id, 'invalid_field', `${type}: ${body}`);
  return { ok: true, message: { ...body, v: PROTOCOL_VERSION, id, type } as Request };
}

const PROTOCOL_CODES: ReadonlySet<string> = new Set<ProtocolErrorCode>(['bad_json', 'not_an_object', 'unsupported_version', 'unknown_type', 'invalid_field', 'too_large', 'internal']);

/**
 * The client's door for the server's output. Envelopes are checked; a reply's result is trusted to match
 * its request, since both ends agreed on the protocol version in `hello`.
 */
export function decodeServerMessage(raw: unknown): Decoded<ServerMessage> {
  const parsed = parse(raw);
  if (!parsed.ok) return parsed;
  const fields = parsed.message;
  const badVersion = checkVersion(fields, null);
  if (badVersion) return badVersion;
  if (fields.type === 'event') {
    const event = fields.event;
    if (!isCount(fields.subscription) || typeof event !== 'object' || event === null || !('type' in event) || typeof event.type !== 'string') {
      return fail(null, 'invalid_field', 'event: expected a subscription id and an event with a type');
    }
    return { ok: true, message: { v: PROTOCOL_VERSION, type: 'event', subscription: fields.subscription, event: event as SupervisorEvent } };
  }
  if (fields.type !== 'reply') return fail(null, 'unknown_type', `unknown message type ${describeValue(fields.type)}`);
  const id = isCount(fields.id) ? fields.id : null;
  if (fields.ok === true && id !== null) return { ok: true, message: { v: PROTOCOL_VERSION, type: 'reply', id, ok: true, result: fields.result } };
  const error = fields.error;
  if (fields.ok === false && typeof error === 'object' && error !== null && 'code' in error && 'message' in error && typeof error.message === 'string' && typeof error.code === 'string' && PROTOCOL_CODES.has(error.code)) {
    return { ok: true, message: { v: PROTOCOL_VERSION, type: 'reply', id, ok: false, error: { code: error.code as ProtocolErrorCode, message: error.message } } };
  }
  return fail(id, 'invalid_field', 'reply: expected ok with a result or an error with a code and a message');
}

export function encode(message: Request | ServerMessage): string {
  return `${JSON.stringify(message)}\n`;
}
