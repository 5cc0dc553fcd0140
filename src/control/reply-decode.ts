import type { SupervisorEvent } from '../model/events.js';
import { checkRuns, unpackRuns, type LogRun } from './log-runs.js';
import { PROTOCOL_ERROR_CODES, PROTOCOL_VERSION, type Decoded, type HelloResult, type ProtocolError, type ProtocolErrorCode, type RequestType, type ResultMap, type ServerMessage } from './protocol.js';
import { anything, array, count, describeValue, fits, literal, object, optional, string, type Shape } from './schema.js';
import { actionResultShape, describeResultShape, eventShape, instanceInfoShape, logsResultShape, panelResultShape, pluginViewsShape, reloadResultShape } from './shapes.js';
import { checkVersion, fail, isCount, parse } from './wire.js';

/** The client's door for the server's output: envelopes here, each reply's result by its request's type. */

const helloShape: Shape<HelloResult> = object({
  pid: count,
  project: string,
  version: string,
  protocol: count,
  protocols: optional(object({ min: count, max: count })),
});
const subscriptionShape = object({ subscription: count });

const RESULTS: { readonly [T in RequestType]: Shape<ResultMap[T]> } = {
  hello: helloShape,
  ping: object({ pong: literal(true) }),
  list: array(instanceInfoShape),
  describe: describeResultShape,
  start: actionResultShape,
  stop: actionResultShape,
  restart: actionResultShape,
  reload: reloadResultShape,
  signal: actionResultShape,
  flush: actionResultShape,
  logs: logsResultShape,
  subscribe: subscriptionShape,
  unsubscribe: subscriptionShape,
  grant: object({ subscription: count, credit: optional(count) }),
  plugin: anything,
  shutdown: object({ stopped: literal(true) }),
  add: actionResultShape,
  delete: actionResultShape,
  scale: actionResultShape,
  reset: actionResultShape,
  views: pluginViewsShape,
  panel: panelResultShape,
};

/** A reply's result checked against what a `type` request is answered with; the error names the field. */
export function decodeResult<T extends RequestType>(type: T, result: unknown): { readonly ok: true; readonly value: ResultMap[T] } | { readonly ok: false; readonly error: string } {
  return fits(RESULTS[type], result, 'result');
}

/** A packed log event for a subscription that takes runs (SubscribeOptions.runs): checked, not split into lines. */
export interface RunsMessage {
  readonly type: 'runs';
  readonly subscription: number;
  readonly runs: readonly LogRun[];
}

/** A well-formed envelope around an event that does not fit: that one event is dropped and reported. */
export type ServerDecoded = Decoded<ServerMessage | RunsMessage> | { readonly ok: false; readonly id: null; readonly subscription: number; readonly error: ProtocolError };

const ERROR_CODES: ReadonlySet<unknown> = new Set(PROTOCOL_ERROR_CODES);
const isErrorCode = (value: unknown): value is ProtocolErrorCode => ERROR_CODES.has(value);

/** An event, a packed log event (runs of lines, see log-runs.ts) becoming the log event it stands for. */
function decodeEvent(event: unknown): { readonly ok: true; readonly value: SupervisorEvent } | { readonly ok: false; readonly error: string } {
  if (typeof event !== 'object' || event === null || !('type' in event) || event.type !== 'log' || !('runs' in event)) return fits(eventShape, event, 'event');
  const unpacked = unpackRuns(event.runs, 'event.runs');
  return unpacked.ok ? { ok: true, value: { type: 'log', lines: unpacked.lines } } : unpacked;
}

const isPacked = (event: unknown): event is { readonly type: 'log'; readonly runs: unknown } => typeof event === 'object' && event !== null && 'type' in event && event.type === 'log' && 'runs' in event;

/** A server's message; `takesRuns` says which subscriptions get packed log events as runs. */
export function decodeServerMessage(raw: unknown, takesRuns: (subscription: number) => boolean = () => false): ServerDecoded {
  const parsed = parse(raw);
  if (!parsed.ok) return parsed;
  const fields = parsed.message;
  const badVersion = checkVersion(fields, null, 'client');
  if (badVersion) return badVersion;
  if (fields.type === 'event') {
    if (!isCount(fields.subscription)) return fail(null, 'invalid_field', `event: subscription: expected a subscription id, got ${describeValue(fields.subscription)}`);
    if (isPacked(fields.event) && takesRuns(fields.subscription)) {
      const runs = checkRuns(fields.event.runs, 'event.runs');
      if (!runs.ok) return { ok: false, id: null, subscription: fields.subscription, error: { code: 'invalid_field', message: runs.error } };
      return { ok: true, message: { type: 'runs', subscription: fields.subscription, runs: runs.runs } };
    }
    const event = decodeEvent(fields.event);
    if (!event.ok) return { ok: false, id: null, subscription: fields.subscription, error: { code: 'invalid_field', message: event.error } };
    return { ok: true, message: { v: PROTOCOL_VERSION, type: 'event', subscription: fields.subscription, event: event.value } };
  }
  if (fields.type !== 'reply') return fail(null, 'unknown_type', `unknown message type ${describeValue(fields.type)}`);
  const id = isCount(fields.id) ? fields.id : null;
  if (fields.ok === true && id !== null) return { ok: true, message: { v: PROTOCOL_VERSION, type: 'reply', id, ok: true, result: fields.result } };
  const error = fields.error;
  if (fields.ok === false && typeof error === 'object' && error !== null && 'code' in error && 'message' in error && typeof error.message === 'string' && isErrorCode(error.code)) {
    return { ok: true, message: { v: PROTOCOL_VERSION, type: 'reply', id, ok: false, error: { code: error.code, message: error.message } } };
  }
  return fail(id, 'invalid_field', 'reply: expected ok with a result or an error with a code and a message');
}
