import { ascii, concat, hash } from './crypto.js';

/** The handshake's fixed layout (FEDERATION.md, "Handshake"): every field has a fixed width. */
export const PROLOGUE = ascii('node-unit/fed/1\0');
export const SUBPROTOCOL = 'nu-fed.1';
export const PROTOCOL_MIN = 1;
export const PROTOCOL_MAX = 1;

export const HELLO_SESSION_BYTES = 100;
export const HELLO_JOIN_BYTES = 132;
export const WELCOME_BYTES = 162;
export const PROOF_SESSION_BYTES = 65;
export const PROOF_JOIN_BYTES = 129;

export const LABEL_SERVER = ascii('nu-fed/1 server');
export const LABEL_CLIENT = ascii('nu-fed/1 client');
export const LABEL_INVITE = ascii('nu-fed/1 invite');
const LABEL_KEYS = ascii('nu-fed/1 keys');
const LABEL_SID = ascii('nu-fed/1 sid');

export type HelloMode = 'session' | 'join';

export interface Hello {
  readonly vmin: number;
  readonly vmax: number;
  readonly mode: HelloMode;
  readonly clientKey: Uint8Array;
  readonly ephemeral: Uint8Array;
  readonly nonce: Uint8Array;
  readonly inviteKey: Uint8Array | undefined;
}

export function encodeHello(hello: Hello): Uint8Array {
  const head = Uint8Array.of(0x01, hello.vmin, hello.vmax, hello.mode === 'join' ? 1 : 0);
  return hello.inviteKey ? concat(head, hello.clientKey, hello.ephemeral, hello.nonce, hello.inviteKey) : concat(head, hello.clientKey, hello.ephemeral, hello.nonce);
}

/** Layout only: type byte, exact length for the mode, a sane version range. */
export function parseHello(bytes: Uint8Array): Hello | string {
  if (bytes.length !== HELLO_SESSION_BYTES && bytes.length !== HELLO_JOIN_BYTES) return `HELLO: expected ${HELLO_SESSION_BYTES} or ${HELLO_JOIN_BYTES} bytes, got ${bytes.length}`;
  const [type, vmin = 0, vmax = 0, mode] = bytes;
  if (type !== 0x01) return `HELLO: expected message type 1, got ${type}`;
  if (mode !== 0 && mode !== 1) return `HELLO: expected mode 0 or 1, got ${mode}`;
  if ((mode === 1) !== (bytes.length === HELLO_JOIN_BYTES)) return `HELLO: mode ${mode} does not match its length ${bytes.length}`;
  if (vmin > vmax) return `HELLO: version range ${vmin}..${vmax} is empty`;
  return {
    vmin,
    vmax,
    mode: mode === 1 ? 'join' : 'session',
    clientKey: bytes.slice(4, 36),
    ephemeral: bytes.slice(36, 68),
    nonce: bytes.slice(68, 100),
    inviteKey: mode === 1 ? bytes.slice(100, 132) : undefined,
  };
}

export interface Welcome {
  readonly version: number;
  readonly serverKey: Uint8Array;
  readonly ephemeral: Uint8Array;
  readonly nonce: Uint8Array;
  readonly signature: Uint8Array;
  /** M2 without the signature: what T covers. */
  readonly unsigned: Uint8Array;
}

export function encodeWelcomeUnsigned(version: number, serverKey: Uint8Array, ephemeral: Uint8Array, nonce: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0x02, version), serverKey, ephemeral, nonce);
}

export function parseWelcome(bytes: Uint8Array): Welcome | string {
  if (bytes.length !== WELCOME_BYTES) return `WELCOME: expected ${WELCOME_BYTES} bytes, got ${bytes.length}`;
  if (bytes[0] !== 0x02) return `WELCOME: expected message type 2, got ${bytes[0]}`;
  return { version: bytes[1] ?? 0, serverKey: bytes.slice(2, 34), ephemeral: bytes.slice(34, 66), nonce: bytes.slice(66, 98), unsigned: bytes.slice(0, 98), signature: bytes.slice(98, 162) };
}

export interface Proof {
  readonly clientSignature: Uint8Array;
  readonly inviteSignature: Uint8Array | undefined;
}

export function parseProof(bytes: Uint8Array, mode: HelloMode): Proof | string {
  const expected = mode === 'join' ? PROOF_JOIN_BYTES : PROOF_SESSION_BYTES;
  if (bytes.length !== expected) return `PROOF: expected ${expected} bytes, got ${bytes.length}`;
  if (bytes[0] !== 0x03) return `PROOF: expected message type 3, got ${bytes[0]}`;
  return { clientSignature: bytes.slice(1, 65), inviteSignature: mode === 'join' ? bytes.slice(65, 129) : undefined };
}

export const transcript = (m1: Uint8Array, m2Unsigned: Uint8Array): Uint8Array => hash(PROLOGUE, m1, m2Unsigned);

/** One key per direction, so the two sides' first frames never share a nonce. */
export interface SessionKeys {
  readonly clientToServer: Uint8Array;
  readonly serverToClient: Uint8Array;
  /** For logs: H("nu-fed/1 sid" ‖ T)[0..16], hex. */
  readonly sid: string;
}

export function deriveKeys(dh: Uint8Array, t: Uint8Array): SessionKeys {
  const k = hash(LABEL_KEYS, dh, t);
  const keys = { clientToServer: k.slice(0, 32), serverToClient: k.slice(32, 64), sid: Buffer.from(hash(LABEL_SID, t).subarray(0, 16)).toString('hex') };
  k.fill(0);
  return keys;
}
