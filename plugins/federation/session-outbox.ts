import { TokenBucket } from './limits.js';
import { frameCharge, type PeerRates } from './rate.js';

/**
 * What a session port has to send, as frames: the messages of one turn of the event loop share a frame (one
 * per line; JSON text holds no raw newline) as far as it holds them, and a message longer than a frame goes
 * in parts. Frames leave at most at the pace the peer accepts, measured as the peer measures them (rate.ts):
 * bytes for every frame, and messages (lines) for requests; replies are data and meet the byte pace only.
 */

/** Text per part, well under 64 KiB once escaped into the envelope. */
const PART_CHARS = 16 * 1024;
const FRAME_BUDGET = 60 * 1024;
/**
 * Share of the peer's limits used here: the rest is for pings, and for frames that arrive bunched after the
 * peer's event loop was busy (it counts them as they arrive, not as they left).
 */
const PACE_SHARE = 0.5;
const BURST_SHARE = 0.25;
/** What the envelope around a frame's text adds, and the tag: a little more than it ever is. */
const ENVELOPE_BYTES = 96;

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
  /** `envelopeBytes(text)`, kept as messages join (a joined newline escapes to the two quotes it saves). */
  size: number;
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
    const size = envelopeBytes(text);
    if (command === undefined && last?.open && last.lines < this.#maxLines() && last.size + size <= FRAME_BUDGET) {
      last.text = `${last.text}\n${text}`;
      last.lines += 1;
      last.size += size;
      this.#bytes += 1;
      return;
    }
    if (size <= FRAME_BUDGET) {
      this.#frames.push({ text, open: command === undefined, lines: 1, size, ...(command === undefined ? {} : { command }) });
      return;
    }
    const parts = splitText(text);
    parts.forEach((part, i) => this.#frames.push({ text: part, open: false, lines: 1, size: envelopeBytes(part), ...(i < parts.length - 1 ? { more: true as const } : {}), ...(command === undefined || i > 0 ? {} : { command }) }));
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
      const charge = frameCharge(next.size + ENVELOPE_BYTES);
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
