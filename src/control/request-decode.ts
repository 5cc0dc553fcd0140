import os from 'node:os';
import type { ScaleChange } from '../model/controller.js';
import { MAX_CREDIT_BYTES } from '../model/log-credit.js';
import type { LogStream } from '../model/events.js';
import { PROTOCOL_VERSION, type Decoded, type Request, type RequestBody, type RequestType } from './protocol.js';
import { anything, boolean, describeValue, fits, object, optional, primitive, refine, type ObjectShape } from './schema.js';
import { checkVersion, fail, isCount, parse, type Fields } from './wire.js';

const SIGNALS: ReadonlySet<string> = new Set(Object.keys(os.constants.signals));
const MAX_TARGET = 256;

const isTarget = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '' && value.length <= MAX_TARGET;
const isVersion = (value: unknown): value is number => isCount(value) && value >= 1;

const target = primitive<string>('a non-empty string', isTarget);
const name = (what: string) => primitive<string>(what, isTarget);
const flag = primitive<boolean>('a boolean', (v) => typeof v === 'boolean');
const version = primitive<number>('a protocol version', isVersion);
const none = object({});
const isObject = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** An app as `start script.js` sends it: its keys as in an ecosystem file, validated by the supervisor. */
const appKeys = primitive<Readonly<Record<string, unknown>>>('an object of app keys', isObject);
const absolutePath = primitive<string>('an absolute path', (v) => typeof v === 'string' && v.startsWith('/') && v.length <= 4096);
const isScaleChange = (v: unknown): boolean => isObject(v) && ((v.kind === 'to' && isCount(v.count)) || (v.kind === 'by' && Number.isSafeInteger(v.delta)));
const scaleChange = primitive<ScaleChange>('{"kind":"to","count":N} or {"kind":"by","delta":±N}', isScaleChange);
const throttle = object({
  ms: primitive<number>('an integer from 10 to 1000 (ms)', (v) => isCount(v) && v >= 10 && v <= 1000),
  lines: primitive<number>('an integer from 1 to 10000', (v) => isCount(v) && v >= 1 && v <= 10_000),
});

const creditBytes = primitive<number>(`an integer from 1 to ${MAX_CREDIT_BYTES} (bytes)`, (v) => isCount(v) && v >= 1 && v <= MAX_CREDIT_BYTES);

/** Each request's fields; what a request carries beyond them is dropped. */
const REQUESTS: { readonly [T in RequestType]: ObjectShape<RequestBody<T>> } = {
  // A client states the versions it speaks; one that does not (an older client) speaks only the one in `v`.
  hello: refine(object({ min: optional(version), max: optional(version) }), (range) => range.min === undefined || range.max === undefined || range.min <= range.max, 'protocol versions with min ≤ max'),
  ping: none,
  list: none,
  describe: object({ target }),
  start: object({ target }),
  stop: object({ target }),
  restart: object({ target, updateEnv: optional(boolean) }),
  reload: object({ target: optional(target), planOnly: flag }),
  signal: object({ target, signal: primitive<NodeJS.Signals>('a signal name such as "SIGUSR2"', (v) => typeof v === 'string' && SIGNALS.has(v)) }),
  flush: object({ target: optional(target) }),
  logs: object({
    target: optional(target),
    lines: primitive<number>('an integer from 0 to 100000', (v) => isCount(v) && v <= 100_000),
    streams: optional(primitive<readonly LogStream[]>('an array of "out" and "err"', (v) => Array.isArray(v) && v.every((s) => s === 'out' || s === 'err'))),
  }),
  subscribe: object({
    logs: primitive<string>('"all", "none" or a target', (v) => v === 'none' || isTarget(v)),
    metrics: optional(primitive<boolean>('true or false', (v) => typeof v === 'boolean')),
    throttle: optional(throttle),
    packed: optional(flag),
    credit: optional(creditBytes),
  }),
  unsubscribe: object({ subscription: primitive<number>('a subscription id', isCount) }),
  grant: object({ subscription: primitive<number>('a subscription id', isCount), bytes: creditBytes }),
  plugin: object({ plugin: name('a plugin name'), method: name('a method name'), params: anything }),
  shutdown: object({ reason: primitive<string>('a string', (v) => typeof v === 'string' && v.length <= MAX_TARGET) }),
  add: object({ app: appKeys, cwd: absolutePath }),
  delete: object({ target }),
  scale: object({ app: name('an app name'), change: scaleChange }),
  reset: object({ target }),
  views: none,
  panel: object({ plugin: name('a plugin name'), panel: name('a panel id'), width: primitive<number>('an integer from 1 to 1000', (v) => isCount(v) && v >= 1 && v <= 1000) }),
};

const isRequestType = (type: unknown): type is RequestType => typeof type === 'string' && Object.hasOwn(REQUESTS, type);

/** The fields a shape names, and only those that are present. */
function known(fields: Fields, keys: readonly string[]): Fields {
  return Object.fromEntries(keys.filter((key) => fields[key] !== undefined).map((key) => [key, fields[key]]));
}

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
  if (!isRequestType(fields.type)) return fail(id, 'unknown_type', `unknown request type ${describeValue(fields.type)}; expected one of ${Object.keys(REQUESTS).join(', ')}`);
  const type = fields.type;
  const shape: ObjectShape<RequestBody<RequestType>> = REQUESTS[type];
  const body = fits(shape, known(fields, shape.keys), '');
  if (!body.ok) return fail(id, 'invalid_field', `${type}: ${body.error}`);
  // The body fits the shape of `type`'s request; the union cannot tell the two apart by itself.
  return { ok: true, message: { ...body.value, v: PROTOCOL_VERSION, id, type } as Request };
}
