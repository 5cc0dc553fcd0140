import { ControlError, type ControlErrorCode } from './errors.js';
import type { ProtocolError, Reply, RequestType } from './protocol.js';

interface Waiting {
  readonly type: RequestType;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** Error replies the caller can act on keep their own code; the rest are protocol errors. */
const REPLY_ERRORS: Partial<Record<ProtocolError['code'], ControlErrorCode>> = {
  unsupported_version: 'version',
  unknown_plugin: 'unknown_plugin',
  unknown_method: 'unknown_method',
  plugin_failed: 'plugin_failed',
  refused: 'refused',
};

function replyError(error: ProtocolError): ControlError {
  const code = REPLY_ERRORS[error.code];
  return code ? new ControlError(code, error.message) : new ControlError('protocol', `${error.code}: ${error.message}`);
}

/** Requests sent and not yet answered, by id: the client's reply bookkeeping. */
export class PendingReplies {
  private readonly waiting = new Map<number, Waiting>();

  /** Resolves with the raw result of the reply to `id`, or rejects with its error. */
  expect(id: number, type: RequestType): Promise<unknown> {
    return new Promise((resolve, reject) => this.waiting.set(id, { type, resolve, reject }));
  }

  /** A reply to an id nobody waits for (or to none: an error about a message the server could not read) is dropped. */
  settle(reply: Reply): void {
    const waiting = reply.id === null ? undefined : this.waiting.get(reply.id);
    if (!waiting || reply.id === null) return;
    this.waiting.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(replyError(reply.error));
  }

  /** Whether a caller still waits for an answer (the greeting and heartbeats do not count). */
  awaitsAnswer(): boolean {
    return [...this.waiting.values()].some((waiting) => waiting.type !== 'ping' && waiting.type !== 'hello');
  }

  failAll(error: ControlError): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
