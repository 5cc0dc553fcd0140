/**
 * What the control protocol runs over: an ordered, reliable duplex of whole messages. The unix socket
 * (NDJSON lines, socket-port.ts), an in-memory pair (memory-port.ts) and a sealed mesh session are
 * adapters; the request dispatch (connection.ts) and reply bookkeeping (client.ts) know only this.
 */

/** What a port hands its one user. Only `message` is required; the rest default to doing nothing. */
export interface PortHandler {
  /** One whole message from the peer: JSON text or an already parsed value (`decode` takes either). */
  readonly message: (data: unknown) => void;
  /** The peer sent a message over the port's size limit; it was dropped unread. */
  readonly oversized?: (limit: number) => void;
  /** The peer will send nothing more (a half-close); `unfinished` bytes of a message it began were lost. */
  readonly end?: (unfinished: number) => void;
  /** The outbound queue went back under the high-water mark after `send` returned false. */
  readonly drain?: () => void;
  /** The port is closed for good, from either side, for whatever reason. Called once. */
  readonly close?: (reason: string | undefined) => void;
}

export interface MessagePort {
  /** Starts delivering to `handler`. A port has one user; messages that arrive before this wait. */
  attach(handler: PortHandler): void;
  /**
   * Queues one whole message (a JSON-serialisable object). Returns false when the port is over its
   * high-water mark (the message is still queued): the sender should hold what can wait until `drain`.
   * A message sent after the port closed is dropped; that also returns false.
   */
  send(message: object): boolean;
  /** Bytes queued for the peer and not yet handed on. */
  bufferedBytes(): number;
  /** Stops reading the peer's messages (backpressure on a peer that sends faster than it reads), until resume. */
  pause(): void;
  resume(): void;
  /** Sends nothing more; what is queued still goes out, and the peer's messages still arrive. */
  end(): void;
  /** Closes at once; what is queued is lost. `reason` reaches this side's close handler. */
  destroy(reason?: string): void;
  /** True once nothing more can be sent: ended, destroyed or closed by the peer. */
  readonly writable: boolean;
  /** True once the port is closed for good. */
  readonly closed: boolean;
  /**
   * Set by a port whose peer is known to be alive by other means (a mesh session's sealed pings) and that
   * carries more than one subscriber: a reader that falls behind then costs skipped lines only, however
   * long, never the port. Otherwise a client stuck past the limits is disconnected.
   */
  readonly keepsSlowReaders?: boolean;
}
