/**
 * What another transport needs to carry the control protocol (a sealed mesh session, a test): it implements
 * a MessagePort, then runs a ControlClient on the side that drives and a Connection on the side that is
 * driven. Both ends speak exactly what they speak over the unix socket; the socket is one more adapter.
 */
export type { MessagePort, PortHandler } from './port.js';
export { memoryPortPair, type MemoryPortOptions } from './memory-port.js';
export { ControlClient, type ControlClientOptions } from './client.js';
export { Connection, HARD_BUFFER_BYTES, SOFT_BUFFER_BYTES } from './connection.js';
export type { AnswerContext, PluginCallHandler, ServerIdentity } from './answer.js';
export type { HeartbeatOptions } from './heartbeat.js';
export { ControlError, type ControlErrorCode } from './errors.js';
export { MAX_MESSAGE_BYTES, PROTOCOL_RANGE, PROTOCOL_VERSION, type ProtocolRange } from './protocol.js';
