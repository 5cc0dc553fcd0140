import { MAX_SEALED_BYTES, TAG_BYTES } from './frames.js';
import { TokenBucket } from './limits.js';
import { ENVELOPE_HEADER_BYTES } from './messages.js';
import { frameCharge, type PeerRates } from './rate.js';

/**
 * What a session port has to send, as frames: the messages of one turn of the event loop share a frame (one
 * per line; JSON text holds no raw newline) as far as it holds them, and a message longer than a frame goes
 * in parts. Frames leave at most at the pace the peer accepts, measured as the peer measures them (rate.ts):
 * bytes for every frame, and messages (lines) for requests; replies are data and meet the byte pace only.
 */

/** Bytes of text a frame holds: the envelope's header and the tag take the rest. */
const FRAME_BUDGET = MAX_SEALED_BYTES - TAG_BYTES - ENVELOPE_HEADER_BYTES;
/**
 * Share of the peer's limits used here: the rest is for pings, and for frames that arrive bunched after the
 * peer's event loop was busy (it counts them as they arrive, not as they left).
 */
const PACE_SHARE = 0.5;
const BURST_SHARE = 0.25;

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
  /** Messages (lines) it holds. */
  lines: number;
  /** Its text's UTF-8 bytes, kept as messages join. */
  size: number;
}

/** Splits text into parts each of which fits one frame, whatever its characters take in UTF-8. */
export function splitText(text: string): readonly string[] {
  if (text.length === 0) return [''];
  const parts: string[] = [];
  for (let at = 0; at < text.length; ) {
    let size = Math.min(FRAME_BUDGET, text.length - at);
    while (size > 1 && Buffer.byteLength(text.slice(at, at + size)) > FRAME_BUDGET) size = Math.floor(size / 2);
    // A surrogate pair is never cut: each part stays valid UTF-16 on its own.
    const code = text.charCodeAt(at + size - 1);
    if (size > 1 && code >= 0xd800 && code <= 0xdbff) size -= 1;
    parts.push(text.slice(at, at + size));
    at += size;
  }
  return parts;
}

const paceOf = (limit: number, now: number): TokenBucket => new TokenBucket({ burst: Math.max(1, Math.floor(limit * BURST_SHARE)), perSecond: Math.max(1, limit * PACE_SHARE) }, now);

export class Outbox {
  readonly #frames: Outgoing[] = [];
  readonly #bytePace: TokenBucket;
  /** Only for requests: the peer counts their lines as messages. */
  readonly #messagePace: TokenBucket | undefined;
  readonly #write: (frame: Frame) => void;
  #bytes = 0;
  #pacer: NodeJS.Timeout | undefined;

  /** `peer`: what the peer accepts; `countsLines`: whether it counts this side's lines as messages; `write` seals and sends one frame. */
  constructor(peer: PeerRates, countsLines: boolean, write: (frame: Frame) => void) {
    const now = performance.now();
    this.#bytePace = paceOf(peer.bytesPerSecond, now);
    this.#messagePace = countsLines ? paceOf(peer.messagesPerSecond, now) : undefined;
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
    // Longer text cannot fit a frame: it goes in parts without being measured whole.
    const size = text.length > FRAME_BUDGET ? Number.POSITIVE_INFINITY : Buffer.byteLength(text);
    if (command === undefined && last?.open && last.lines < this.#maxLines() && last.size + 1 + size <= FRAME_BUDGET) {
      last.text = `${last.text}\n${text}`;
      last.lines += 1;
      last.size += 1 + size;
      this.#bytes += 1;
      return;
    }
    if (size <= FRAME_BUDGET) {
      this.#frames.push({ text, open: command === undefined, lines: 1, size, ...(command === undefined ? {} : { command }) });
      return;
    }
    const parts = splitText(text);
    parts.forEach((part, i) => this.#frames.push({ text: part, open: false, lines: 1, size: Buffer.byteLength(part), ...(i < parts.length - 1 ? { more: true as const } : {}), ...(command === undefined || i > 0 ? {} : { command }) }));
  }

  /** A frame never holds more lines than the message pace can let through at once. */
  #maxLines(): number {
    return this.#messagePace?.spec.burst ?? Number.POSITIVE_INFINITY;
  }

  /** Sends what the pace allows now, and comes back for the rest when the next frame may go. */
  send(): void {
    clearTimeout(this.#pacer);
    this.#pacer = undefined;
    for (let next = this.#frames[0]; next !== undefined; next = this.#frames[0]) {
      const now = performance.now();
      const charge = frameCharge(next.size + ENVELOPE_HEADER_BYTES + TAG_BYTES);
      const wait = Math.max(this.#bytePace.waitMs(now, charge), this.#messagePace?.waitMs(now, next.lines) ?? 0);
      if (wait > 0) {
        this.#pacer = setTimeout(() => this.send(), wait);
        return;
      }
      this.#bytePace.take(now, charge);
      this.#messagePace?.take(now, next.lines);
      this.#frames.shift();
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
