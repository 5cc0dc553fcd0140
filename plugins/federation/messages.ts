/**
 * What travels inside sealed frames: tagged unions with a version, and `decodeMessage`, the only place a
 * frame's bytes become a typed message. It never throws; a bad message becomes an error to reply with.
 */
export const MESSAGE_VERSION = 1;

/** An instance as the worker's Controller lists it (InstanceInfo); the master only passes it on. */
export type InstanceSummary = object;

export type CallMethod = 'list';

export type FedMessage =
  | { readonly v: 1; readonly type: 'ready'; readonly sid: string; readonly name: string; readonly pingEveryMs: number; readonly messagesPerSecond: number }
  | { readonly v: 1; readonly type: 'snapshot'; readonly version: string; readonly name?: string; readonly labels?: Readonly<Record<string, string>>; readonly instances: readonly InstanceSummary[] }
  | { readonly v: 1; readonly type: 'ping'; readonly seq: number }
  | { readonly v: 1; readonly type: 'pong'; readonly seq: number }
  | { readonly v: 1; readonly type: 'call'; readonly id: number; readonly method: CallMethod }
  | { readonly v: 1; readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly v: 1; readonly type: 'result'; readonly id: number; readonly ok: false; readonly message: string }
  | { readonly v: 1; readonly type: 'error'; readonly message: string };

export type MessageType = FedMessage['type'];

/** Messages that make the receiver act: only the pinned master may send them, only to a worker. */
export const COMMAND_TYPES: ReadonlySet<MessageType> = new Set(['call']);

/** What each pinned role may send. */
export const ALLOWED_FROM: { readonly master: ReadonlySet<MessageType>; readonly worker: ReadonlySet<MessageType> } = {
  master: new Set(['ready', 'ping', 'pong', 'call', 'error']),
  worker: new Set(['snapshot', 'ping', 'pong', 'result', 'error']),
};

export type DecodedMessage = { readonly ok: true; readonly message: FedMessage } | { readonly ok: false; readonly error: string };

type Fields = Readonly<Record<string, unknown>>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isShortText = (v: unknown): v is string => typeof v === 'string' && v.length <= 1024;

function shape(f: Fields): FedMessage | string {
  switch (f.type) {
    case 'ready':
      if (!isShortText(f.sid) || !isShortText(f.name) || !isCount(f.pingEveryMs) || !isCount(f.messagesPerSecond)) return 'ready: expected sid, name, pingEveryMs and messagesPerSecond';
      return { v: 1, type: 'ready', sid: f.sid, name: f.name, pingEveryMs: f.pingEveryMs, messagesPerSecond: f.messagesPerSecond };
    case 'snapshot':
      if (!isShortText(f.version) || !Array.isArray(f.instances) || !f.instances.every(isObject)) return 'snapshot: expected version and an array of instances';
      return { v: 1, type: 'snapshot', version: f.version, instances: f.instances, ...(isShortText(f.name) ? { name: f.name } : {}), ...(isObject(f.labels) ? { labels: f.labels as Readonly<Record<string, string>> } : {}) };
    case 'ping':
    case 'pong':
      return isCount(f.seq) ? { v: 1, type: f.type, seq: f.seq } : `${f.type}: expected seq, a non-negative integer`;
    case 'call':
      if (!isCount(f.id)) return 'call: expected id, a non-negative integer';
      return f.method === 'list' ? { v: 1, type: 'call', id: f.id, method: f.method } : `call: unknown method ${JSON.stringify(f.method)}; expected "list"`;
    case 'result':
      if (!isCount(f.id) || typeof f.ok !== 'boolean') return 'result: expected id and ok';
      return f.ok ? { v: 1, type: 'result', id: f.id, ok: true, value: f.value } : { v: 1, type: 'result', id: f.id, ok: false, message: isShortText(f.message) ? f.message : 'failed' };
    case 'error':
      return isShortText(f.message) ? { v: 1, type: 'error', message: f.message } : 'error: expected message';
    default:
      return `unknown message type ${JSON.stringify(f.type)?.slice(0, 40)}`;
  }
}

export function decodeMessage(payload: Uint8Array): DecodedMessage {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return { ok: false, error: 'not valid JSON' };
  }
  if (!isObject(value)) return { ok: false, error: 'expected a JSON object' };
  if (value.v !== MESSAGE_VERSION) return { ok: false, error: `message version ${JSON.stringify(value.v)?.slice(0, 20)} is not supported; expected ${MESSAGE_VERSION}` };
  const message = shape(value);
  return typeof message === 'string' ? { ok: false, error: message } : { ok: true, message };
}

export const encodeMessage = (message: FedMessage): Uint8Array => new Uint8Array(Buffer.from(JSON.stringify(message)));
