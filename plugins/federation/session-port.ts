import type { MessagePort, PortHandler } from '../../src/index.js';
import type { FedMessage } from './messages.js';
import type { PeerRates } from './rate.js';
import type { SealedSession } from './session.js';
import { Outbox } from './session-outbox.js';
import { mark } from './trace.js';

/**
 * A sealed session as the control protocol's MessagePort: control messages are JSON text inside a `request`
 * (the master's side) or a `reply` (the worker's side), framed and paced by the Outbox. What waits there is
 * counted in `bufferedBytes`, so past the high-water mark the Connection drops log lines (and counts them)
 * instead of letting a flood end the session. The session's own messages pass beside it; ending the port
 * ends the session.
 */

/**
 * Longest control message a side reassembles (the rest of a longer one is dropped and reported): a request
 * as long as the control socket takes; a reply or event as long as a log flood can batch in one turn.
 */
export const MAX_CONTROL_BYTES: { readonly [S in PortSide]: number } = { request: 16 * 1024 * 1024, reply: 1024 * 1024 };
const DRAIN_POLL_MS = 20;
const SEND_AT_ONCE_BYTES = 64 * 1024;

/** Which envelopes a side sends: the master requests, the worker replies (and sends events). */
export type PortSide = 'request' | 'reply';

export class SessionPort implements MessagePort {
  /** Its reader is the master, alive by the sealed pings: a slow follow costs skipped lines, never the session. */
  readonly keepsSlowReaders = true;
  readonly #session: SealedSession;
  readonly #side: PortSide;
  readonly #highWater: number;
  #handler: PortHandler | undefined;
  readonly #inbox: { readonly text: string; readonly command: string | undefined }[] = [];
  #parts: string[] = [];
  #partBytes = 0;
  #paused = false;
  #ended = false;
  #closed = false;
  #closeReason: string | undefined;
  #drain: NodeJS.Timeout | undefined;
  #command: string | undefined;
  readonly #outbox: Outbox;
  /** Whether a send of the outbox is already due at the next microtask (prompt) or setImmediate (turn). */
  readonly #due = { prompt: false, turn: false };
  /** Set for the next request only (the master's side): the command id it carries for de-duplication. */
  nextCommand: string | undefined;

  /** `peer`: what the peer accepts on this session (it counts a request's lines as messages). */
  constructor(session: SealedSession, side: PortSide, highWater: number, peer: PeerRates) {
    this.#session = session;
    this.#side = side;
    this.#highWater = highWater;
    this.#outbox = new Outbox(peer, side === 'request', (frame) => (mark(side === 'request' ? 'request.sealed' : 'reply.sealed'), this.#session.send(side === 'request' ? { v: 1, type: 'request', ...frame } : { v: 1, type: 'reply', text: frame.text, ...(frame.more ? { more: true } : {}) })));
  }

  /** The command id of the message being delivered right now (the worker's side), if the master gave one. */
  get currentCommand(): string | undefined {
    return this.#command;
  }

  /** One control envelope from the peer (the role rule was checked by the session). */
  accept(message: Extract<FedMessage, { type: 'request' | 'reply' }>): void {
    mark(message.type === 'request' ? 'request.received' : 'reply.received');
    if (this.#closed) return;
    // This side sends requests, so it reads replies, and the other way round.
    const limit = MAX_CONTROL_BYTES[this.#side];
    this.#partBytes += Buffer.byteLength(message.text);
    if (this.#partBytes > limit) {
      if (message.more) return;
      this.#parts = [];
      this.#partBytes = 0;
      this.#handler?.oversized?.(limit);
      return;
    }
    this.#parts.push(message.text);
    if (message.more) return;
    const text = this.#parts.join('');
    this.#parts = [];
    this.#partBytes = 0;
    const command = message.type === 'request' ? message.command : undefined;
    // JSON text holds no raw newline, so the lines of a frame are its messages.
    for (const line of text.split('\n')) this.#inbox.push({ text: line, command });
    this.#flush();
  }

  /** The session ended: the port closes with its reason. */
  sessionEnded(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = reason;
    this.#inbox.length = 0;
    this.#outbox.clear();
    clearInterval(this.#drain);
    this.#handler?.close?.(reason);
  }

  attach(handler: PortHandler): void {
    this.#handler = handler;
    if (this.#closed) handler.close?.(this.#closeReason);
    else this.#flush();
  }

  send(message: object): boolean {
    if (!this.writable) return false;
    const command = this.#side === 'request' ? this.nextCommand : undefined;
    this.nextCommand = undefined;
    mark(this.#side === 'request' ? 'request.queued' : 'reply.queued');
    this.#outbox.enqueue(JSON.stringify(message), command);
    // A frame's worth goes at once: a flood's events of one turn then reach the socket's buffer as they come,
    // instead of piling up here past the high-water mark before the turn ends (small ones still share frames).
    if (this.#outbox.bytes >= SEND_AT_ONCE_BYTES) this.#outbox.send();
    else this.#sendSoon(this.#side === 'request' || ('type' in message && message.type === 'reply'));
    if (this.bufferedBytes() <= this.#highWater) return true;
    this.#watchDrain();
    return false;
  }

  bufferedBytes(): number {
    return this.#session.bufferedAmount + this.#outbox.bytes;
  }

  /**
   * Events of one turn of the event loop share frames: they leave on setImmediate. A request or a reply leaves
   * as soon as the code that sent it is done (a microtask): work the supervisor put off until after its
   * replies (the orphan guard's record, the audit log) also waits for setImmediate or a timer, and a reply
   * must not wait for it.
   */
  #sendSoon(prompt: boolean): void {
    const key = prompt ? 'prompt' : 'turn';
    if (this.#due[key]) return;
    this.#due[key] = true;
    (prompt ? queueMicrotask : setImmediate)(() => {
      this.#due[key] = false;
      if (!this.#closed) this.#outbox.send();
    });
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#flush();
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#session.end('closed', 'the control connection ended', 1000);
  }

  destroy(reason?: string): void {
    this.#session.end('closed', reason ?? 'the control connection was closed', 1000);
    this.sessionEnded(reason ?? 'closed');
  }

  get writable(): boolean {
    return !this.#ended && !this.#closed && !this.#session.ended;
  }

  get closed(): boolean {
    return this.#closed;
  }

  #flush(): void {
    const handler = this.#handler;
    while (handler && !this.#paused && !this.#closed && this.#inbox.length > 0) {
      const next = this.#inbox.shift();
      if (!next) break;
      this.#command = next.command;
      try {
        handler.message(next.text);
      } finally {
        this.#command = undefined;
      }
    }
  }

  /** ws tells no drain per message: the buffered amount is looked at until it is back under the mark. */
  #watchDrain(): void {
    if (this.#drain) return;
    this.#drain = setInterval(() => {
      if (this.#closed || this.bufferedBytes() <= this.#highWater) {
        clearInterval(this.#drain);
        this.#drain = undefined;
        if (!this.#closed) this.#handler?.drain?.();
      }
    }, DRAIN_POLL_MS);
    this.#drain.unref();
  }
}
