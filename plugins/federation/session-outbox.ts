import { TokenBucket } from './limits.js';

/**
 * What a session port has to send, as frames: the messages of one turn of the event loop share a frame (one
 * per line; JSON text holds no raw newline) as far as it holds them, and a message longer than a frame goes
 * in parts. Frames leave at most at the pace the peer accepts (a share of its messages-per-second limit).
 */

/** Text per part, well under 64 KiB once escaped into the envelope. */
const PART_CHARS = 16 * 1024;
const FRAME_BUDGET = 60 * 1024;
/**
 * Share of the peer's messages-per-second limit used here: the rest is for pings, and for frames that
 * arrive bunched after the peer's event loop was busy (it counts them as they arrive, not as they left).
 */
const PACE_SHARE = 0.5;
const PACE_BURST = 10;

/** One frame's content: some whole messages, or one part of a long one (`more` on all parts but the last). */
export interface Frame {
  readonly text: string;
  readonly more?: true;
  readonly command?: string;
}

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
    while (size > 1 && envelopeBytes(text.slice(at, at + size)) > FRAME_BUDGET) size = Math.floor(size / 2);
    // A surrogate pair is never cut: each part stays valid UTF-16 on its own.
    const code = text.charCodeAt(at + size - 1);
    if (size > 1 && code >= 0xd800 && code <= 0xdbff) size -= 1;
    parts.push(text.slice(at, at + size));
    at += size;
  }
  return parts;
}

export class Outbox {
  readonly #frames: Outgoing[] = [];
  readonly #pace: TokenBucket;
  readonly #write: (frame: Frame) => void;
  #bytes = 0;
  #pacer: NodeJS.Timeout | undefined;

  /** `messagesPerSecond`: the peer's limit; `write` seals and sends one frame. */
  constructor(messagesPerSecond: number, write: (frame: Frame) => void) {
    const pace = Math.max(1, Math.floor(messagesPerSecond * PACE_SHARE));
    this.#pace = new TokenBucket({ burst: Math.min(PACE_BURST, pace), perSecond: pace }, performance.now());
    this.#write = write;
  }

  /** What waits, in characters (near enough to bytes for a high-water mark). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Joins the open frame when it fits; a request with a command id has a frame of its own. */
  enqueue(text: string, command: string | undefined): void {
    this.#bytes += text.length;
    const last = this.#frames.at(-1);
    if (command === undefined && last?.open && envelopeBytes(last.text) + envelopeBytes(text) <= FRAME_BUDGET) {
      last.text = `${last.text}\n${text}`;
      this.#bytes += 1;
      return;
    }
    if (envelopeBytes(text) <= FRAME_BUDGET) {
      this.#frames.push({ text, open: command === undefined, ...(command === undefined ? {} : { command }) });
      return;
    }
    const parts = splitText(text);
    parts.forEach((part, i) => this.#frames.push({ text: part, open: false, ...(i < parts.length - 1 ? { more: true as const } : {}), ...(command === undefined || i > 0 ? {} : { command }) }));
  }

  /** Sends what the pace allows now, and comes back for the rest when the next frame may go. */
  send(): void {
    clearTimeout(this.#pacer);
    this.#pacer = undefined;
    while (this.#frames.length > 0) {
      if (!this.#pace.take(performance.now())) {
        this.#pacer = setTimeout(() => this.send(), Math.ceil(1000 / this.#pace.spec.perSecond));
        return;
      }
      const next = this.#frames.shift();
      if (!next) break;
      next.open = false;
      this.#bytes -= next.text.length;
      this.#write({ text: next.text, ...(next.more ? { more: true } : {}), ...(next.command === undefined ? {} : { command: next.command }) });
    }
  }

  /** Drops what waits (the session is gone). */
  clear(): void {
    clearTimeout(this.#pacer);
    this.#pacer = undefined;
    this.#frames.length = 0;
    this.#bytes = 0;
  }
}
