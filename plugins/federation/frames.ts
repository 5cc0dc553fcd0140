import nacl from 'tweetnacl';
import { zero } from './crypto.js';

/**
 * Sealed frames: nacl.secretbox with nonce = 16 zero bytes ‖ u64 BE counter. The counter is implicit, one
 * per direction, and must be exactly the next one, so a single failed open covers forged, tampered,
 * replayed, reordered and cross-session frames alike.
 */
export const MAX_SEALED_BYTES = 64 * 1024 + 16;
export const MIN_SEALED_BYTES = 17;
/** A sender closes rather than send frame 2³². */
export const COUNTER_LIMIT = 2n ** 32n;

function nonceFor(counter: bigint): Uint8Array {
  const nonce = Buffer.alloc(24);
  nonce.writeBigUInt64BE(counter, 16);
  return nonce;
}

export class FrameSealer {
  #counter = 0n;
  constructor(readonly key: Uint8Array) {}

  /** The sealed frame, or undefined when the counter is spent and the session must close. */
  seal(payload: Uint8Array): Uint8Array | undefined {
    if (this.#counter >= COUNTER_LIMIT) return undefined;
    const box = nacl.secretbox(payload, nonceFor(this.#counter), this.key);
    this.#counter += 1n;
    return box;
  }

  get sent(): bigint {
    return this.#counter;
  }

  dispose(): void {
    zero(this.key);
  }
}

export type OpenResult = { readonly ok: true; readonly payload: Uint8Array } | { readonly ok: false; readonly reason: 'size' | 'auth' };

export class FrameOpener {
  #counter = 0n;
  constructor(readonly key: Uint8Array) {}

  open(frame: Uint8Array): OpenResult {
    if (frame.length < MIN_SEALED_BYTES || frame.length > MAX_SEALED_BYTES) return { ok: false, reason: 'size' };
    if (this.#counter >= COUNTER_LIMIT) return { ok: false, reason: 'auth' };
    const payload = nacl.secretbox.open(frame, nonceFor(this.#counter), this.key);
    if (!payload) return { ok: false, reason: 'auth' };
    this.#counter += 1n;
    return { ok: true, payload };
  }

  dispose(): void {
    zero(this.key);
  }
}
