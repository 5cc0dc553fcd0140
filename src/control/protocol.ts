import type { ActionResult, DescribeResult, LogsResult, LogThrottle, ReloadResult, ScaleChange } from '../model/controller.js';
import type { InstanceInfo, LogStream, SupervisorEvent } from '../model/events.js';
import type { PanelResult, PluginViews } from '../model/plugin.js';
import { ndjsonLine } from './lines.js';
import type { LogRun } from './log-runs.js';

/**
 * The control protocol: tagged unions, each message carrying the protocol version. On the unix socket one
 * JSON object per line (NDJSON); on a mesh session one whole message per sealed frame. The client sends
 * requests; the server sends replies (matched by id) and events (matched by subscription id).
 */

/** The version this side writes in every message's `v`. */
export const PROTOCOL_VERSION = 1;
/** The versions this side understands; `hello` carries both ends' ranges and fails, naming both, when they do not meet. */
export const PROTOCOL_RANGE: ProtocolRange = { min: 1, max: 1 };
/** Longest line a peer may send; longer lines are refused while being read, never buffered whole. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface ProtocolRange {
  readonly min: number;
  readonly max: number;
}

type Envelope<T extends string, Body = object> = { readonly v: typeof PROTOCOL_VERSION; readonly id: number; readonly type: T } & Readonly<Body>;

export type Request =
  | Envelope<'hello', { min?: number; max?: number }>
  | Envelope<'ping'>
  | Envelope<'list'>
  | Envelope<'describe', { target: string }>
  | Envelope<'start', { target: string }>
  | Envelope<'stop', { target: string }>
  | Envelope<'restart', { target: string; updateEnv?: boolean }>
  | Envelope<'reload', { target?: string; planOnly: boolean }>
  | Envelope<'signal', { signal: NodeJS.Signals; target: string }>
  | Envelope<'flush', { target?: string }>
  | Envelope<'logs', { target?: string; lines: number; streams?: readonly LogStream[] }>
  | Envelope<'subscribe', { logs: string; metrics?: boolean; throttle?: LogThrottle; packed?: boolean; credit?: number }>
  | Envelope<'unsubscribe', { subscription: number }>
  | Envelope<'grant', { subscription: number; bytes: number }>
  | Envelope<'plugin', { plugin: string; method: string; params: unknown }>
  | Envelope<'shutdown', { reason: string }>
  | Envelope<'add', { app: Readonly<Record<string, unknown>>; cwd: string }>
  | Envelope<'delete', { target: string }>
  | Envelope<'scale', { app: string; change: ScaleChange }>
  | Envelope<'reset', { target: string }>
  | Envelope<'views'>
  | Envelope<'panel', { plugin: string; panel: string; width: number }>;

export type RequestType = Request['type'];
export type RequestBody<T extends RequestType> = Omit<Extract<Request, { type: T }>, 'v' | 'id' | 'type'>;

export interface HelloResult {
  readonly pid: number;
  readonly project: string;
  readonly version: string;
  /** The version both ends speak from here on. */
  readonly protocol: number;
  /** Every version the server understands (absent from servers that knew only one). */
  readonly protocols?: ProtocolRange;
}

/** What each request's reply carries when ok. */
export interface ResultMap {
  readonly hello: HelloResult;
  readonly ping: { readonly pong: true };
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
  /** The subscription's credit after the grant; absent when it has none (no such subscription, or one without credit). */
  readonly grant: { readonly subscription: number; readonly credit?: number };
  /** Whatever the plugin's method answered; the caller checks it. */
  readonly plugin: unknown;
  readonly shutdown: { readonly stopped: true };
  readonly add: ActionResult;
  readonly delete: ActionResult;
  readonly scale: ActionResult;
  readonly reset: ActionResult;
  readonly views: PluginViews;
  readonly panel: PanelResult;
}

export type ProtocolErrorCode =
  | 'bad_json'
  | 'not_an_object'
  | 'unsupported_version'
  | 'unknown_type'
  | 'invalid_field'
  | 'too_large'
  | 'internal'
  | 'unknown_plugin'
  | 'unknown_method'
  | 'plugin_failed'
  /** The server's policy does not let this client make this request (a mesh worker's trust); the message names the rule. */
  | 'refused';

export const PROTOCOL_ERROR_CODES: readonly ProtocolErrorCode[] = ['bad_json', 'not_an_object', 'unsupported_version', 'unknown_type', 'invalid_field', 'too_large', 'internal', 'unknown_plugin', 'unknown_method', 'plugin_failed', 'refused'];

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

/** A log event for a subscriber that asked `packed`: runs of lines (log-runs.ts); the client's decode makes it a SupervisorEvent again. */
export interface PackedLogEvent {
  readonly type: 'log';
  readonly runs: readonly LogRun[];
}

/** What the server writes: an event may go packed. */
export type OutgoingMessage = ServerMessage | (Omit<EventMessage, 'event'> & { readonly event: PackedLogEvent });

export type Decoded<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly id: number | null; readonly error: ProtocolError };

export function encode(message: Request | OutgoingMessage): string {
  return ndjsonLine(message);
}

/** Whether two version ranges share a version; the highest shared one is spoken. */
export function commonVersion(a: ProtocolRange, b: ProtocolRange): number | undefined {
  const high = Math.min(a.max, b.max);
  return high >= Math.max(a.min, b.min) ? high : undefined;
}

export function describeRange(range: ProtocolRange): string {
  return range.min === range.max ? `version ${range.min}` : `versions ${range.min}–${range.max}`;
}
