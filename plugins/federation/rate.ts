import { TokenBucket } from './limits.js';
import type { FedMessage } from './messages.js';

/**
 * How a session meters what its peer sends, in two budgets. Messages that make the receiver do something
 * (a request's lines, pings, pongs, snapshots, errors) count against a message rate (200/s), so a peer
 * cannot flood the other with small requests however it packs them into frames. Every frame counts against
 * a byte rate, charged at least MIN_FRAME_CHARGE, so reply data (log lines, events) flows at link speed
 * while a stream of tiny frames still meets a frame-rate ceiling (bytes per second / 16 KiB). The sender
 * paces itself with the same measures (session-outbox.ts), at a share of these, and never reaches them.
 */

export interface PeerRates {
  readonly messagesPerSecond: number;
  readonly bytesPerSecond: number;
}

/** What a frame costs at the least: small frames cannot outnumber large ones by more than this ratio. */
export const MIN_FRAME_CHARGE = 16 * 1024;

export const frameCharge = (bytes: number): number => Math.max(bytes, MIN_FRAME_CHARGE);

/** Control messages a frame's text holds: one per line (JSON text holds no raw newline). */
export function linesOf(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** Messages a received message counts for: a reply is data, metered by its bytes alone. */
export function messageCount(message: FedMessage): number {
  if (message.type === 'reply') return 0;
  if (message.type === 'request') return linesOf(message.text);
  return 1;
}

/** The receiving side's meter: `undefined` while the peer keeps within both budgets, else what it exceeded. */
export class ReceiveRate {
  readonly #messages: TokenBucket;
  readonly #bytes: TokenBucket;

  constructor(
    readonly rates: PeerRates,
    now: number,
  ) {
    this.#messages = new TokenBucket({ burst: rates.messagesPerSecond, perSecond: rates.messagesPerSecond }, now);
    this.#bytes = new TokenBucket({ burst: rates.bytesPerSecond, perSecond: rates.bytesPerSecond }, now);
  }

  /** Before a frame is opened: its bytes. */
  frame(bytes: number, now: number): string | undefined {
    if (this.#bytes.take(now, frameCharge(bytes))) return undefined;
    return `more than ${this.rates.bytesPerSecond} bytes per second (each frame counted as at least ${MIN_FRAME_CHARGE})`;
  }

  /** Once decoded: the control messages it holds. */
  message(message: FedMessage, now: number): string | undefined {
    const count = messageCount(message);
    if (count === 0 || this.#messages.take(now, count)) return undefined;
    return `more than ${this.rates.messagesPerSecond} messages per second`;
  }
}
