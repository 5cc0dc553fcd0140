/**
 * What travels inside sealed frames: tagged unions with a version, and `decodeMessage`, the only place a
 * frame's bytes become a typed message. It never throws; a bad message becomes an error to reply with.
 *
 * The session's own messages (ready, snapshot, ping/pong, error) stay here: they confirm the keys and carry
 * liveness below the control protocol, so a stuck Controller cannot make a live link look dead. Everything
 * a person does on a node travels as the control protocol's own messages (src/control/protocol.ts), as
 * JSON text inside a `request` (master → worker) or a `reply` (worker → master: replies and events). The
 * envelope's type says the direction, so the role rule is checked before the control layer reads a byte;
 * the control layer's `decode` then reads the text. A message longer than one frame goes in parts (`more`).
 *
 * A request or reply is encoded as its JSON header without the text, a newline, then the text as it is
 * (UTF-8): JSON holds no raw newline, so the first one ends the header, and the text is neither escaped
 * into nor unescaped out of a JSON string (for a log flood, the larger part of the cost of a frame). Every
 * other message, and a request or reply without a newline (the plain JSON form), is one JSON object.
 */
export const MESSAGE_VERSION = 1;

/** An instance as the worker's Controller lists it (InstanceInfo); the master only passes it on. */
export type InstanceSummary = object;

export type FedMessage =
  | { readonly v: 1; readonly type: 'ready'; readonly sid: string; readonly name: string; readonly pingEveryMs: number; readonly messagesPerSecond: number }
  | { readonly v: 1; readonly type: 'snapshot'; readonly version: string; readonly name?: string; readonly labels?: Readonly<Record<string, string>>; readonly instances: readonly InstanceSummary[] }
  | { readonly v: 1; readonly type: 'ping'; readonly seq: number }
  | { readonly v: 1; readonly type: 'pong'; readonly seq: number }
  | { readonly v: 1; readonly type: 'request'; readonly text: string; readonly more?: true; readonly command?: string }
  | { readonly v: 1; readonly type: 'reply'; readonly text: string; readonly more?: true }
  | { readonly v: 1; readonly type: 'error'; readonly message: string };

export type MessageType = FedMessage['type'];

/** Messages that make the receiver act: only the pinned master may send them, only to a worker. */
export const COMMAND_TYPES: ReadonlySet<MessageType> = new Set(['request']);

/** What each pinned role may send. */
export const ALLOWED_FROM: { readonly master: ReadonlySet<MessageType>; readonly worker: ReadonlySet<MessageType> } = {
  master: new Set(['ready', 'ping', 'pong', 'request', 'error']),
  worker: new Set(['snapshot', 'ping', 'pong', 'reply', 'error']),
};

export type DecodedMessage = { readonly ok: true; readonly message: FedMessage } | { readonly ok: false; readonly error: string };

type Fields = Readonly<Record<string, unknown>>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isShortText = (v: unknown): v is string => typeof v === 'string' && v.length <= 1024;
/** A command id: printable ASCII, as dedupe.ts keys them. */
const isCommandId = (v: unknown): v is string => typeof v === 'string' && /^[\x21-\x7e]{1,128}$/.test(v);

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
    case 'request':
    case 'reply': {
      if (typeof f.text !== 'string') return `${f.type}: expected text, a control protocol message as JSON text`;
      if (f.more !== undefined && f.more !== true) return `${f.type}: more: expected true or nothing`;
      if (f.type === 'reply' && f.command !== undefined) return 'reply: a reply carries no command id';
      if (f.command !== undefined && !isCommandId(f.command)) return 'request: command: expected 1–128 printable characters';
      const more = f.more === true ? { more: true as const } : {};
      return f.type === 'reply' ? { v: 1, type: 'reply', text: f.text, ...more } : { v: 1, type: 'request', text: f.text, ...more, ...(isCommandId(f.command) ? { command: f.command } : {}) };
    }
    case 'error':
      return isShortText(f.message) ? { v: 1, type: 'error', message: f.message } : 'error: expected message';
    default:
      return `unknown message type ${JSON.stringify(f.type)?.slice(0, 40)}`;
  }
}

const NEWLINE = 0x0a;
const ENVELOPES: ReadonlySet<unknown> = new Set(['request', 'reply']);

/** The message's fields: one JSON object, or an envelope's header with its raw text after the first newline. */
function fieldsOf(payload: Uint8Array): Fields | string {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const cut = bytes.indexOf(NEWLINE);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', 0, cut < 0 ? bytes.length : cut));
  } catch {
    return cut < 0 ? 'not valid JSON' : 'the header before the first newline is not valid JSON';
  }
  if (!isObject(value)) return 'expected a JSON object';
  if (cut < 0) return value;
  if (!ENVELOPES.has(value.type) || 'text' in value) return 'only a request or reply header without text may precede a newline';
  return { ...value, text: bytes.toString('utf8', cut + 1) };
}

export function decodeMessage(payload: Uint8Array): DecodedMessage {
  const value = fieldsOf(payload);
  if (typeof value === 'string') return { ok: false, error: value };
  if (value.v !== MESSAGE_VERSION) return { ok: false, error: `message version ${JSON.stringify(value.v)?.slice(0, 20)} is not supported; expected ${MESSAGE_VERSION}` };
  const message = shape(value);
  return typeof message === 'string' ? { ok: false, error: message } : { ok: true, message };
}

export function encodeMessage(message: FedMessage): Uint8Array {
  if (message.type !== 'request' && message.type !== 'reply') return Buffer.from(JSON.stringify(message));
  const { text, ...header } = message;
  return Buffer.from(`${JSON.stringify(header)}\n${text}`);
}

/** Bytes an envelope adds to its text, at the most (its header, the newline). */
export const ENVELOPE_HEADER_BYTES = 256;
