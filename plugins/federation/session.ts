import type { WebSocket } from 'ws';
import { FrameOpener, FrameSealer } from './frames.js';
import { ALLOWED_FROM, COMMAND_TYPES, decodeMessage, encodeMessage, type FedMessage } from './messages.js';
import { ReceiveRate, type PeerRates } from './rate.js';

/**
 * One sealed session over an open ws, the same on both ends. Every received frame passes, in order: binary
 * (a text frame ends the session), the byte rate, open with the expected counter (any failure ends the
 * session: forged, tampered, replayed, reordered and cross-session frames alike), decode (a malformed message
 * gets an error reply; repeated ones end the session), the message rate (rate.ts), and the rule of the
 * peer's pinned role.
 */

export type Role = 'master' | 'worker';

export type SessionEnd =
  | 'text_frame'
  | 'rate_limited'
  | 'bad_frame'
  | 'malformed_messages'
  | 'role_violation'
  | 'oversized_frame'
  | 'counter_spent'
  | 'closed';

/** Close codes: a refusal says what happened; ws close codes are not authenticated, so they only inform. */
export const END_CODES: { readonly [E in SessionEnd]: number } = {
  text_frame: 4400,
  rate_limited: 4429,
  bad_frame: 4403,
  malformed_messages: 4400,
  role_violation: 4405,
  oversized_frame: 4413,
  counter_spent: 4408,
  closed: 1000,
};

export interface SessionHooks {
  onMessage(message: FedMessage): void;
  /** Once, with why the session ended (`closed` when the socket simply went away) and the detail. */
  onEnd(end: SessionEnd, detail: string, code: number): void;
  /** A malformed message inside a valid frame: replied to with an error, nothing else done. */
  onMalformed(detail: string): void;
}

export interface SessionParams {
  readonly ws: WebSocket;
  readonly sendKey: Uint8Array;
  readonly receiveKey: Uint8Array;
  readonly sid: string;
  readonly peerRole: Role;
  /** What this side accepts from its peer. */
  readonly rates: PeerRates;
  readonly now: () => number;
}

const MAX_MALFORMED = 3;

export class SealedSession {
  readonly sid: string;
  readonly #ws: WebSocket;
  readonly #sealer: FrameSealer;
  readonly #opener: FrameOpener;
  readonly #rate: ReceiveRate;
  readonly #params: SessionParams;
  readonly #hooks: SessionHooks;
  #malformed = 0;
  #ended = false;

  constructor(params: SessionParams, hooks: SessionHooks) {
    this.#params = params;
    this.#hooks = hooks;
    this.sid = params.sid;
    this.#ws = params.ws;
    this.#sealer = new FrameSealer(params.sendKey);
    this.#opener = new FrameOpener(params.receiveKey);
    this.#rate = new ReceiveRate(params.rates, params.now());
    this.#ws.on('message', (data: Buffer, isBinary: boolean) => this.#receive(data, isBinary));
    this.#ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.end('oversized_frame', 'a frame larger than 64 KiB + 16');
      else this.end('closed', error.message);
    });
    this.#ws.on('close', (code: number, reason: Buffer) => this.end('closed', `socket closed (${code}${reason.length > 0 ? ` ${reason.toString('utf8').replace(/[^\x20-\x7e]/g, '?')}` : ''})`, code));
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  send(message: FedMessage): boolean {
    if (this.#ended) return false;
    const frame = this.#sealer.seal(encodeMessage(message));
    if (!frame) {
      this.end('counter_spent', 'the frame counter is spent');
      return false;
    }
    this.#ws.send(frame, { binary: true });
    return true;
  }

  end(end: SessionEnd, detail: string, code = END_CODES[end]): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#sealer.dispose();
    this.#opener.dispose();
    if (this.#ws.readyState === this.#ws.OPEN || this.#ws.readyState === this.#ws.CONNECTING) {
      if (end === 'closed') this.#ws.close(code === 1005 || code === 1006 ? 1000 : code, detail.slice(0, 100));
      else this.#ws.close(code, end);
      const ws = this.#ws;
      setTimeout(() => ws.terminate(), 1000).unref();
    }
    this.#hooks.onEnd(end, detail, code);
  }

  get ended(): boolean {
    return this.#ended;
  }

  #receive(data: Buffer, isBinary: boolean): void {
    if (this.#ended) return;
    if (!isBinary) return this.end('text_frame', 'a text frame after the handshake');
    const overBytes = this.#rate.frame(data.length, this.#params.now());
    if (overBytes !== undefined) return this.end('rate_limited', overBytes);
    const opened = this.#opener.open(data);
    if (!opened.ok) return this.end('bad_frame', opened.reason === 'size' ? `a frame of ${data.length} bytes` : 'a frame that does not open with the expected counter');
    const decoded = decodeMessage(opened.payload);
    if (!decoded.ok) {
      this.#malformed += 1;
      if (this.#malformed >= MAX_MALFORMED) return this.end('malformed_messages', `${this.#malformed} malformed messages, the last: ${decoded.error}`);
      this.#hooks.onMalformed(decoded.error);
      this.send({ v: 1, type: 'error', message: decoded.error });
      return;
    }
    const overMessages = this.#rate.message(decoded.message, this.#params.now());
    if (overMessages !== undefined) return this.end('rate_limited', overMessages);
    const { type } = decoded.message;
    if (!ALLOWED_FROM[this.#params.peerRole].has(type)) {
      const what = COMMAND_TYPES.has(type) ? 'a command' : `a "${type}" message`;
      return this.end('role_violation', `the ${this.#params.peerRole} sent ${what}, which its role may not send`);
    }
    this.#hooks.onMessage(decoded.message);
  }
}
