import type { MessagePort, PortHandler } from '../../src/index.js';
import type { FedMessage } from './messages.js';
import type { SealedSession } from './session.js';

/**
 * A sealed session as the control protocol's MessagePort: each control message is JSON text inside a
 * `request` (the master's side) or a `reply` (the worker's side), in parts when longer than a frame holds.
 * The session's own messages (ready, ping, snapshot) pass beside it; ending the port ends the session.
 */

/** Text per part, well under 64 KiB once escaped into the envelope. */
const PART_CHARS = 16 * 1024;
const FRAME_BUDGET = 60 * 1024;
/** Longest control message a side reassembles; the rest of a longer one is dropped and reported. */
export const MAX_CONTROL_BYTES = 1024 * 1024;
const DRAIN_POLL_MS = 20;

export type PortSide = 'request' | 'reply';

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
  /** Set for the next request only (the master's side): the command id it carries for de-duplication. */
  nextCommand: string | undefined;

  constructor(session: SealedSession, side: PortSide, highWater: number) {
    this.#session = session;
    this.#side = side;
    this.#highWater = highWater;
  }

  /** The command id of the message being delivered right now (the worker's side), if the master gave one. */
  get currentCommand(): string | undefined {
    return this.#command;
  }

  /** One control envelope from the peer (the role rule was checked by the session). */
  accept(message: Extract<FedMessage, { type: 'request' | 'reply' }>): void {
    if (this.#closed) return;
    this.#partBytes += Buffer.byteLength(message.text);
    if (this.#partBytes > MAX_CONTROL_BYTES) {
      if (message.more) return;
      this.#parts = [];
      this.#partBytes = 0;
      this.#handler?.oversized?.(MAX_CONTROL_BYTES);
      return;
    }
    this.#parts.push(message.text);
    if (message.more) return;
    const text = this.#parts.join('');
    this.#parts = [];
    this.#partBytes = 0;
    this.#inbox.push({ text, command: message.type === 'request' ? message.command : undefined });
    this.#flush();
  }

  /** The session ended: the port closes with its reason. */
  sessionEnded(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = reason;
    this.#inbox.length = 0;
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
    const parts = splitText(JSON.stringify(message));
    parts.forEach((text, i) => {
      const more = i < parts.length - 1 ? { more: true as const } : {};
      const envelope: FedMessage = this.#side === 'request' ? { v: 1, type: 'request', text, ...more, ...(command === undefined || i > 0 ? {} : { command }) } : { v: 1, type: 'reply', text, ...more };
      this.#session.send(envelope);
    });
    if (this.bufferedBytes() <= this.#highWater) return true;
    this.#watchDrain();
    return false;
  }

  bufferedBytes(): number {
    return this.#session.bufferedAmount;
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
