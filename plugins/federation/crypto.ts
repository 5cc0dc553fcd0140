import crypto from 'node:crypto';
import nacl from 'tweetnacl';

/**
 * The few primitive operations the mesh uses, behind one small interface so that a test can count them
 * (an unknown key must cost none) and so that one ed25519 implementation signs and verifies everywhere.
 * node:crypto gives signatures byte-identical to tweetnacl's about 90× faster, and refuses a signature with
 * L added to S (tweetnacl accepts it): every verification in the mesh goes through `verify` below.
 */
export interface CryptoOps {
  /** `secretKey` in tweetnacl's 64-byte format (seed ‖ public key). */
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Raw x25519 (not box.before, which hashes its output). */
  scalarMult(secret: Uint8Array, publicKey: Uint8Array): Uint8Array;
}

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519PublicKeyObject(publicKey: Uint8Array): crypto.KeyObject {
  return crypto.createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' });
}

function privateKeyObject(secretKey: Uint8Array): crypto.KeyObject {
  const der = Buffer.concat([PKCS8_ED25519, secretKey.subarray(0, 32)]);
  try {
    return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

export const nodeCryptoOps: CryptoOps = {
  sign(secretKey, message) {
    if (secretKey.length !== 64) throw new Error(`sign: expected a 64-byte secret key, got ${secretKey.length} bytes`);
    return new Uint8Array(crypto.sign(null, message, privateKeyObject(secretKey)));
  },
  verify(publicKey, message, signature) {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      return crypto.verify(null, message, ed25519PublicKeyObject(publicKey), signature);
    } catch {
      return false;
    }
  },
  scalarMult(secret, publicKey) {
    return x25519(secret, publicKey);
  },
};

const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** The x25519 public key of `secret` (nacl.scalarMult.base), through node:crypto. */
export function x25519Base(secret: Uint8Array): Uint8Array {
  const der = Buffer.concat([PKCS8_X25519, secret]);
  try {
    const publicKey = crypto.createPublicKey(crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
    return new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519.length));
  } finally {
    der.fill(0);
  }
}

/**
 * Raw x25519 through node:crypto: byte-identical to nacl.scalarMult and about 70× faster. OpenSSL refuses
 * to derive an all-zero secret (a small-order share); that comes back as 32 zero bytes, which the
 * handshake already refuses, so both implementations behave the same to their callers.
 */
export function x25519(secret: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (secret.length !== 32 || publicKey.length !== 32) return new Uint8Array(32);
  const der = Buffer.concat([PKCS8_X25519, secret]);
  try {
    const privateKey = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const peer = crypto.createPublicKey({ key: Buffer.concat([SPKI_X25519, publicKey]), format: 'der', type: 'spki' });
    return new Uint8Array(crypto.diffieHellman({ privateKey, publicKey: peer }));
  } catch {
    return new Uint8Array(32);
  } finally {
    der.fill(0);
  }
}

export interface OperationCounts {
  sign: number;
  verify: number;
  scalarMult: number;
}

/** Wraps `ops` so every call is counted: the test seam that shows an unknown-key flood costs nothing. */
export function countedOps(ops: CryptoOps): { readonly ops: CryptoOps; readonly counts: OperationCounts } {
  const counts: OperationCounts = { sign: 0, verify: 0, scalarMult: 0 };
  return {
    counts,
    ops: {
      sign: (sk, m) => (counts.sign++, ops.sign(sk, m)),
      verify: (pk, m, s) => (counts.verify++, ops.verify(pk, m, s)),
      scalarMult: (n, p) => (counts.scalarMult++, ops.scalarMult(n, p)),
    },
  };
}

/** SHA-512, identical to nacl.hash. */
export function hash(...parts: readonly Uint8Array[]): Uint8Array {
  const h = crypto.createHash('sha512');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
}

export const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'ascii'));

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const byte of bytes) acc |= byte;
  return acc === 0;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function zero(...secrets: readonly (Uint8Array | undefined)[]): void {
  for (const secret of secrets) secret?.fill(0);
}

export const randomBytes = (n: number): Uint8Array => nacl.randomBytes(n);

const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
].map((hex) => Buffer.from(hex, 'hex'));

/** One of the small-order encodings once its top bit is cleared: never a key a node may hold. */
export function isSmallOrder(key: Uint8Array): boolean {
  if (key.length !== 32) return true;
  const cleared = Buffer.from(key);
  cleared[31] = (cleared[31] ?? 0) & 0x7f;
  return SMALL_ORDER.some((bad) => bad.equals(cleared));
}
