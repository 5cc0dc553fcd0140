import type { MessagePort, PortHandler } from '../../src/index.js';
import { TokenBucket } from './limits.js';
import type { FedMessage } from './messages.js';
import type { SealedSession } from './session.js';

/**
 * A sealed session as the control protocol's MessagePort: control messages are JSON text inside a `request`
 * (the master's side) or a `reply` (the worker's side). The messages of one turn of the event loop share a
 * frame (one per line) as far as it holds them; a longer message goes in parts. Frames leave at most at
 * the pace the peer accepts (its messages-per-second limit, with room for pings): what waits is counted in
 * `bufferedBytes`, so past the high-water mark the Connection drops log lines (and counts them) instead of
 * letting a flood end the session. The session's own messages pass beside it; ending the port ends the session.
 */

/** Text per part, well under 64 KiB once escaped into the envelope. */
const PART_CHARS = 16 * 1024;
const FRAME_BUDGET = 60 * 1024;
/**
 * Longest control message a side reassembles (the rest of a longer one is dropped and reported): a request
 * as long as the control socket takes; a reply or event as long as a log flood can batch in one turn.
 */
export const MAX_CONTROL_BYTES: { readonly [S in PortSide]: number } = { request: 16 * 1024 * 1024, reply: 1024 * 1024 };
const DRAIN_POLL_MS = 20;

/** Which envelopes a side sends: the master requests, the worker replies (and sends events). */
export type PortSide = 'request' | 'reply';
/**
 * Share of the peer's messages-per-second limit the port uses: the rest is for pings, and for frames that
 * arrive bunched after the peer's event loop was busy (it counts them as they arrive, not as they left).
 */
const PACE_SHARE = 0.5;
const PACE_BURST = 10;

interface Outgoing {
  text: string;
  readonly more?: true;
  readonly command?: string;
  /** Whether later messages may join this frame. */
  open: boolean;
}

const envelopeBytes = (text: string): number => Buffer.byteLength(JSON.stringify(text));


/** Splits text into parts each of which fits one frame, however much escaping JSON adds. */
export function splitText(text: string): readonly string[] {
  if (text.length === 0) return [''];
  const parts: string[] = [];
  for (let at = 0; at < text.length; ) {
    let size = Math.min(PART_CHARS, text.length - at);
    while (size > 1 && Buffer.byteLength(JSON.stringify(text.slice(at, at + size))) > FRAME_BUDGET) size = Math.floor(size / 2);
    // A surrogate pair is never cut: each part stays valid UTF-16 on its own.
    const code = text.charCodeAt(at + size - 1);
    if (size > 1 && code >= 0xd800 && code <= 0xdbff) size -= 1;
    parts.push(text.slice(at, at + size));
    at += size;
  }
  return parts;
}

export class SessionPort implements MessagePort {
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
  readonly #outbox: Outgoing[] = [];
  #outboxBytes = 0;
  #pacer: NodeJS.Timeout | undefined;
  #scheduled = false;
  readonly #pace: TokenBucket;
  /** Set for the next request only (the master's side): the command id it carries for de-duplication. */
  nextCommand: string | undefined;

  /** `messagesPerSecond`: the peer's limit on this session's frames. */
  constructor(session: SealedSession, side: PortSide, highWater: number, messagesPerSecond: number) {
    this.#session = session;
    this.#side = side;
    this.#highWater = highWater;
    const pace = Math.max(1, Math.floor(messagesPerSecond * PACE_SHARE));
    this.#pace = new TokenBucket({ burst: Math.min(PACE_BURST, pace), perSecond: pace }, performance.now());
  }

  /** The command id of the message being delivered right now (the worker's side), if the master gave one. */
  get currentCommand(): string | undefined {
    return this.#command;
  }

  /** One control envelope from the peer (the role rule was checked by the session). */
  accept(message: Extract<FedMessage, { type: 'request' | 'reply' }>): void {
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
    this.#outbox.length = 0;
    this.#outboxBytes = 0;
    clearInterval(this.#drain);
    clearTimeout(this.#pacer);
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
    this.#enqueue(JSON.stringify(message), command);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.#sendFrames();
      });
    }
    if (this.bufferedBytes() <= this.#highWater) return true;
    this.#watchDrain();
    return false;
  }

  /** Joins the open frame when it fits; a request with a command id has a frame of its own. */
  #enqueue(text: string, command: string | undefined): void {
    // Counted in characters: near enough to bytes for a high-water mark.
    this.#outboxBytes += text.length;
    const last = this.#outbox.at(-1);
    if (command === undefined && last?.open && envelopeBytes(last.text) + envelopeBytes(text) <= FRAME_BUDGET) {
      last.text = `${last.text}\n${text}`;
      this.#outboxBytes += 1;
      return;
    }
    if (envelopeBytes(text) <= FRAME_BUDGET) {
      this.#outbox.push({ text, open: command === undefined, ...(command === undefined ? {} : { command }) });
      return;
    }
    const parts = splitText(text);
    parts.forEach((part, i) => this.#outbox.push({ text: part, open: false, ...(i < parts.length - 1 ? { more: true as const } : {}), ...(command === undefined || i > 0 ? {} : { command }) }));
  }

  /** Sends what the pace allows now, and comes back for the rest when the next frame may go. */
  #sendFrames(): void {
    clearTimeout(this.#pacer);
    this.#pacer = undefined;
    while (this.#outbox.length > 0 && !this.#closed) {
      if (!this.#pace.take(performance.now())) {
        this.#pacer ??= setTimeout(() => this.#sendFrames(), Math.ceil(1000 / this.#pace.spec.perSecond));
        return;
      }
      const next = this.#outbox.shift();
      if (!next) break;
      next.open = false;
      this.#outboxBytes -= next.text.length;
      const more = next.more ? { more: true as const } : {};
      const envelope: FedMessage = this.#side === 'request' ? { v: 1, type: 'request', text: next.text, ...more, ...(next.command === undefined ? {} : { command: next.command }) } : { v: 1, type: 'reply', text: next.text, ...more };
      this.#session.send(envelope);
    }
  }

  bufferedBytes(): number {
    return this.#session.bufferedAmount + this.#outboxBytes;
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
