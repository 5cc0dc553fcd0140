import { bytesEqual, concat, isAllZero, x25519Base, zero, type CryptoOps } from './crypto.js';
import { LABEL_CLIENT, LABEL_INVITE, LABEL_SERVER, PROTOCOL_MAX, PROTOCOL_MIN, deriveKeys, encodeHello, parseWelcome, transcript, type SessionKeys } from './handshake-wire.js';

/** The worker's side of the handshake, pure like the server's: start → M1; M2 in → M3 and keys, or a refusal. */

export interface ClientParams {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
  /** The master key pinned at join (or read from the invite for the join itself). */
  readonly masterKey: Uint8Array;
  /** The invite key pair for a join; its secret is zeroed once used. */
  readonly invite?: { readonly publicKey: Uint8Array; readonly secretKey: Uint8Array };
}

export interface ClientState {
  readonly params: ClientParams;
  readonly m1: Uint8Array;
  readonly ephemeral: Uint8Array;
  readonly ephemeralSecret: Uint8Array;
}

export type ClientRefusal = 'bad_layout' | 'bad_version' | 'master_key_changed' | 'reflected_ephemeral' | 'bad_signature' | 'zero_dh';

export type ClientStep =
  | { readonly kind: 'proof'; readonly bytes: Uint8Array; readonly keys: SessionKeys }
  | { readonly kind: 'refuse'; readonly refusal: ClientRefusal; readonly detail: string };

export function startClient(params: ClientParams, random: (n: number) => Uint8Array): ClientState {
  const ephemeralSecret = random(32);
  const ephemeral = x25519Base(ephemeralSecret);
  const m1 = encodeHello({
    vmin: PROTOCOL_MIN,
    vmax: PROTOCOL_MAX,
    mode: params.invite ? 'join' : 'session',
    clientKey: params.publicKey,
    ephemeral,
    nonce: random(32),
    inviteKey: params.invite?.publicKey,
  });
  return { params, m1, ephemeral, ephemeralSecret };
}

export function clientStep(state: ClientState, bytes: Uint8Array, ops: CryptoOps): ClientStep {
  const { params, ephemeralSecret } = state;
  try {
    const welcome = parseWelcome(bytes);
    if (typeof welcome === 'string') return { kind: 'refuse', refusal: 'bad_layout', detail: welcome };
    if (welcome.version < PROTOCOL_MIN || welcome.version > PROTOCOL_MAX) return { kind: 'refuse', refusal: 'bad_version', detail: `the master chose version ${welcome.version}` };
    if (!bytesEqual(welcome.serverKey, params.masterKey)) return { kind: 'refuse', refusal: 'master_key_changed', detail: 'master key changed: the master presented a key other than the pinned one' };
    if (bytesEqual(welcome.ephemeral, state.ephemeral)) return { kind: 'refuse', refusal: 'reflected_ephemeral', detail: 'the master echoed our ephemeral key' };
    const t = transcript(state.m1, welcome.unsigned);
    if (!ops.verify(welcome.serverKey, concat(LABEL_SERVER, t), welcome.signature)) return { kind: 'refuse', refusal: 'bad_signature', detail: 'master signature does not verify' };
    const dh = ops.scalarMult(ephemeralSecret, welcome.ephemeral);
    try {
      if (isAllZero(dh)) return { kind: 'refuse', refusal: 'zero_dh', detail: 'the DH share is all zeros' };
      const parts = [Uint8Array.of(0x03), ops.sign(params.secretKey, concat(LABEL_CLIENT, t))];
      if (params.invite) parts.push(ops.sign(params.invite.secretKey, concat(LABEL_INVITE, t)));
      return { kind: 'proof', bytes: concat(...parts), keys: deriveKeys(dh, t) };
    } finally {
      zero(dh);
    }
  } finally {
    abandonClient(state);
  }
}

export function abandonClient(state: ClientState): void {
  zero(state.ephemeralSecret, state.params.invite?.secretKey);
}
