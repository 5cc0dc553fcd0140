import { bytesEqual, concat, isAllZero, isSmallOrder, x25519Base, zero, type CryptoOps } from './crypto.js';
import { LABEL_CLIENT, LABEL_INVITE, LABEL_SERVER, PROTOCOL_MAX, PROTOCOL_MIN, deriveKeys, encodeWelcomeUnsigned, parseHello, parseProof, transcript, type Hello, type SessionKeys } from './handshake-wire.js';

/**
 * The master's side of the handshake as a pure state machine: bytes in, a decision out. Everything it
 * needs to know about the world (pins, invites, rate buckets) comes through `ServerPolicy`, and every
 * signature, verification and DH goes through `CryptoOps`, so a test can count them.
 */

export type RateBucket = 'address' | 'key' | 'invite' | 'signatures';
export type PinState = 'active' | 'revoked' | undefined;
export type InviteState = 'open' | 'used' | 'expired' | 'other_key' | undefined;

export interface ServerPolicy {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
  /** The pin holding this key, revoked ones included. */
  pin(key: Uint8Array): PinState;
  /** The invite's state for this client key (an invite may be bound to one key). */
  invite(inviteKey: Uint8Array, clientKey: Uint8Array): InviteState;
  /** Takes a token from a rate bucket; false when it is empty. */
  allow(bucket: RateBucket): boolean;
  /** Re-checks the invite, marks it used and pins the key, in one synchronous step. */
  claimInvite(inviteKey: Uint8Array, clientKey: Uint8Array): boolean;
}

export type Refusal =
  | 'bad_layout'
  | 'bad_version'
  | 'own_key'
  | 'rate_limited'
  | 'unknown_key'
  | 'revoked_key'
  | 'unknown_invite'
  | 'invite_used'
  | 'invite_expired'
  | 'invite_other_key'
  | 'already_pinned'
  | 'small_order_key'
  | 'bad_signature'
  | 'bad_invite_signature'
  | 'zero_dh';

export const CLOSE_CODES: { readonly [R in Refusal]: number } = {
  bad_layout: 4400,
  bad_version: 4426,
  own_key: 4400,
  rate_limited: 4429,
  unknown_key: 4401,
  revoked_key: 4401,
  unknown_invite: 4401,
  invite_used: 4401,
  invite_expired: 4401,
  invite_other_key: 4401,
  already_pinned: 4401,
  small_order_key: 4401,
  bad_signature: 4403,
  bad_invite_signature: 4403,
  zero_dh: 4403,
};

export type ServerState =
  | { readonly phase: 'await-hello' }
  | { readonly phase: 'await-proof'; readonly hello: Hello; readonly t: Uint8Array; readonly ephemeralSecret: Uint8Array }
  | { readonly phase: 'finished' };

export type ServerStep =
  | { readonly kind: 'send'; readonly bytes: Uint8Array; readonly next: ServerState; readonly hello: Hello }
  | { readonly kind: 'refuse'; readonly refusal: Refusal; readonly detail: string; readonly next: ServerState; readonly hello: Hello | undefined }
  | { readonly kind: 'established'; readonly keys: SessionKeys; readonly peerKey: Uint8Array; readonly joinedWith: Uint8Array | undefined; readonly next: ServerState };

export const initialServerState: ServerState = { phase: 'await-hello' };
const FINISHED: ServerState = { phase: 'finished' };

function refuse(refusal: Refusal, detail: string, hello?: Hello): ServerStep {
  return { kind: 'refuse', refusal, detail, next: FINISHED, hello };
}

/**
 * A pinned worker's HELLO is charged to its own (address, key) bucket only, not to its address's: a fleet
 * behind one address (a NAT, an office) reconnecting after a master restart would otherwise trickle back at
 * the address's 5/s. Once the key's bucket is empty its HELLOs draw on the address's bucket too, so replaying
 * a pinned public key floods no more cheaply than unknown keys do. The pin lookup is a map read: still no
 * signature and no DH before these checks.
 */
function admitSession(hello: Hello, policy: ServerPolicy): ServerStep | undefined {
  const pin = policy.pin(hello.clientKey);
  if (pin === 'active' && policy.allow('key')) return undefined;
  if (!policy.allow('address')) return refuse('rate_limited', 'too many HELLOs from this address', hello);
  if (pin === undefined) return refuse('unknown_key', 'key is not pinned', hello);
  if (pin === 'revoked') return refuse('revoked_key', 'key was revoked', hello);
  return refuse('rate_limited', 'too many HELLOs for this key from this address', hello);
}

/** Every check that costs no signature and no DH, in the order FEDERATION.md gives (but for admitSession). */
function admitHello(hello: Hello, policy: ServerPolicy): ServerStep | undefined {
  if (hello.vmax < PROTOCOL_MIN || hello.vmin > PROTOCOL_MAX) return refuse('bad_version', `versions ${hello.vmin}..${hello.vmax}, this node speaks ${PROTOCOL_MIN}..${PROTOCOL_MAX}`, hello);
  if (bytesEqual(hello.clientKey, policy.publicKey)) return refuse('own_key', 'the client presented the server\'s own key', hello);
  if (hello.mode === 'session') {
    const refused = admitSession(hello, policy);
    if (refused) return refused;
  } else {
    if (!policy.allow('address')) return refuse('rate_limited', 'too many HELLOs from this address', hello);
    const invite = hello.inviteKey ? policy.invite(hello.inviteKey, hello.clientKey) : undefined;
    if (invite === undefined) return refuse('unknown_invite', 'no such invite', hello);
    if (invite === 'used') return refuse('invite_used', 'invite already used', hello);
    if (invite === 'expired') return refuse('invite_expired', 'invite expired', hello);
    if (invite === 'other_key') return refuse('invite_other_key', 'invite made for another worker key (invite --key)', hello);
    if (!policy.allow('invite')) return refuse('rate_limited', 'too many HELLOs for this invite', hello);
    if (policy.pin(hello.clientKey) !== undefined) return refuse('already_pinned', 'key is already pinned (or revoked)', hello);
    if (isSmallOrder(hello.clientKey)) return refuse('small_order_key', 'small-order public key', hello);
  }
  if (!policy.allow('signatures')) return refuse('rate_limited', 'the server is signing at its limit', hello);
  return undefined;
}

function onHello(bytes: Uint8Array, policy: ServerPolicy, ops: CryptoOps, random: (n: number) => Uint8Array): ServerStep {
  const hello = parseHello(bytes);
  if (typeof hello === 'string') return refuse('bad_layout', hello);
  const refused = admitHello(hello, policy);
  if (refused) return refused;
  const ephemeralSecret = random(32);
  const ephemeral = x25519Base(ephemeralSecret);
  const unsigned = encodeWelcomeUnsigned(Math.min(hello.vmax, PROTOCOL_MAX), policy.publicKey, ephemeral, random(32));
  const t = transcript(bytes, unsigned);
  const signature = ops.sign(policy.secretKey, concat(LABEL_SERVER, t));
  return { kind: 'send', bytes: concat(unsigned, signature), next: { phase: 'await-proof', hello, t, ephemeralSecret }, hello };
}

function onProof(state: Extract<ServerState, { phase: 'await-proof' }>, bytes: Uint8Array, policy: ServerPolicy, ops: CryptoOps): ServerStep {
  const { hello, t, ephemeralSecret } = state;
  try {
    const proof = parseProof(bytes, hello.mode);
    if (typeof proof === 'string') return refuse('bad_layout', proof, hello);
    if (!ops.verify(hello.clientKey, concat(LABEL_CLIENT, t), proof.clientSignature)) return refuse('bad_signature', 'client signature does not verify', hello);
    if (hello.inviteKey && proof.inviteSignature && !ops.verify(hello.inviteKey, concat(LABEL_INVITE, t), proof.inviteSignature)) {
      return refuse('bad_invite_signature', 'invite signature does not verify', hello);
    }
    const dh = ops.scalarMult(ephemeralSecret, hello.ephemeral);
    try {
      if (isAllZero(dh)) return refuse('zero_dh', 'the DH share is all zeros', hello);
      if (hello.inviteKey && !policy.claimInvite(hello.inviteKey, hello.clientKey)) return refuse('invite_used', 'invite was claimed meanwhile', hello);
      return { kind: 'established', keys: deriveKeys(dh, t), peerKey: hello.clientKey, joinedWith: hello.inviteKey, next: FINISHED };
    } finally {
      zero(dh);
    }
  } finally {
    zero(ephemeralSecret);
  }
}

export function serverStep(state: ServerState, bytes: Uint8Array, policy: ServerPolicy, ops: CryptoOps, random: (n: number) => Uint8Array): ServerStep {
  switch (state.phase) {
    case 'await-hello':
      return onHello(bytes, policy, ops, random);
    case 'await-proof':
      return onProof(state, bytes, policy, ops);
    case 'finished':
      return refuse('bad_layout', 'a handshake message after the handshake');
  }
}

/** Forgets a handshake that will not finish (deadline, socket closed): its ephemeral secret is zeroed. */
export function abandonServer(state: ServerState): void {
  if (state.phase === 'await-proof') zero(state.ephemeralSecret);
}
