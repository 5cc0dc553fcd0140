/**
 * What another transport needs to carry the control protocol (a sealed mesh session, a test): it implements
 * a MessagePort, then runs a ControlClient on the side that drives and a Connection on the side that is
 * driven. Both ends speak exactly what they speak over the unix socket; the socket is one more adapter.
 */
import type { Controller } from '../model/controller.js';
import type { PluginCallHandler, ServerIdentity } from './answer.js';
import { ControlClient, type ControlClientOptions } from './client.js';
import { Connection } from './connection.js';
import type { MessagePort } from './port.js';

export type { MessagePort, PortHandler } from './port.js';
export { memoryPortPair, type MemoryPortOptions } from './memory-port.js';
export { ControlClient, type ControlClientOptions } from './client.js';
export { Connection, HARD_BUFFER_BYTES, SOFT_BUFFER_BYTES } from './connection.js';
export type { AnswerContext, PluginCallHandler, ServerIdentity } from './answer.js';
export type { HeartbeatOptions } from './heartbeat.js';
export { ControlError, type ControlErrorCode } from './errors.js';
export { packLines, unpackRuns, type LogRun } from './log-runs.js';
export { MAX_MESSAGE_BYTES, PROTOCOL_RANGE, PROTOCOL_VERSION, type ProtocolRange } from './protocol.js';

/** A served control connection: `close` lets queued replies go out, then ends the port (destroyed after `graceMs`). */
export interface ServedPort {
  close(graceMs: number): Promise<void>;
}

/** Serves `controller` over `port` exactly as the unix socket serves a local client: same requests, same replies. */
export function serveControlPort(port: MessagePort, controller: Controller, identity: ServerIdentity, plugins?: PluginCallHandler): ServedPort {
  return new Connection(port, { controller, identity, plugins });
}

/** A Controller driving the far side of `port`; it greets at once (version range) as the socket client does. */
export function connectControlPort(port: MessagePort, options: ControlClientOptions = {}): ControlClient {
  return new ControlClient(port, options);
}
