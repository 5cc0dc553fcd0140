import os from 'node:os';
import type { LogStream } from '../model/events.js';
import { PROTOCOL_VERSION, type Decoded, type Request, type RequestBody, type RequestType } from './protocol.js';
import { describeValue } from './schema.js';
import { checkVersion, fail, isCount, parse, type Fields } from './wire.js';

type FieldCheck<T extends RequestType> = (fields: Fields) => RequestBody<T> | string;

const SIGNALS: ReadonlySet<string> = new Set(Object.keys(os.constants.signals));
const MAX_TARGET = 256;

const isTarget = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '' && value.length <= MAX_TARGET;
const isVersion = (value: unknown): value is number => isCount(value) && value >= 1;

function target(fields: Fields): string | { readonly target: string } {
  return isTarget(fields.target) ? { target: fields.target } : `target: expected a non-empty string, got ${describeValue(fields.target)}`;
}

function optionalTarget(fields: Fields): string | { readonly target?: string } {
  return fields.target === undefined ? {} : target(fields);
}

function logs(fields: Fields): RequestBody<'logs'> | string {
  const where = optionalTarget(fields);
  if (typeof where === 'string') return where;
  if (!isCount(fields.lines) || fields.lines > 100_000) return `lines: expected an integer from 0 to 100000, got ${describeValue(fields.lines)}`;
  const streams = fields.streams;
  if (streams === undefined) return { ...where, lines: fields.lines };
  if (!Array.isArray(streams) || !streams.every((s): s is LogStream => s === 'out' || s === 'err')) return `streams: expected an array of "out" and "err", got ${describeValue(streams)}`;
  return { ...where, lines: fields.lines, streams };
}

/** A client states the versions it speaks; one that does not (an older client) speaks only the one in `v`. */
function hello(fields: Fields): RequestBody<'hello'> | string {
  const min = fields.min ?? fields.v;
  const max = fields.max ?? fields.v;
  if (!isVersion(min) || !isVersion(max) || min > max) return `min, max: expected protocol versions with min ≤ max, got ${describeValue(fields.min)} and ${describeValue(fields.max)}`;
  return { min, max };
}

function plugin(fields: Fields): RequestBody<'plugin'> | string {
  if (!isTarget(fields.plugin)) return `plugin: expected a plugin name, got ${describeValue(fields.plugin)}`;
  if (!isTarget(fields.method)) return `method: expected a method name, got ${describeValue(fields.method)}`;
  return { plugin: fields.plugin, method: fields.method, params: fields.params ?? null };
}

const CHECKS: { readonly [T in RequestType]: FieldCheck<T> } = {
  hello,
  ping: () => ({}),
  list: () => ({}),
  describe: target,
  start: target,
  stop: target,
  restart: target,
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
  plugin,
  shutdown: (fields) => (typeof fields.reason === 'string' && fields.reason.length <= MAX_TARGET ? { reason: fields.reason } : `reason: expected a string, got ${describeValue(fields.reason)}`),
};

const isRequestType = (type: unknown): type is RequestType => typeof type === 'string' && Object.hasOwn(CHECKS, type);

/**
 * The only door for a client's input: never throws; anything unexpected becomes an error to reply with.
 * `hello` is read in any version, so that a client of another version learns which versions this side speaks.
 */
export function decode(raw: unknown): Decoded<Request> {
  const parsed = parse(raw);
  if (!parsed.ok) return parsed;
  const fields = parsed.message;
  const id = isCount(fields.id) ? fields.id : null;
  const badVersion = fields.type === 'hello' && isVersion(fields.v) ? undefined : checkVersion(fields, id, 'supervisor');
  if (badVersion) return badVersion;
  if (id === null) return fail(null, 'invalid_field', `id: expected a non-negative integer, got ${describeValue(fields.id)}`);
  if (!isRequestType(fields.type)) return fail(id, 'unknown_type', `unknown request type ${describeValue(fields.type)}; expected one of ${Object.keys(CHECKS).join(', ')}`);
  const type = fields.type;
  const body = (CHECKS[type] as FieldCheck<RequestType>)(fields);
  if (typeof body === 'string') return fail(id, 'invalid_field', `${type}: ${body}`);
  return { ok: true, message: { ...body, v: PROTOCOL_VERSION, id, type } as Request };
}
