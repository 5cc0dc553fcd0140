import crypto from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The node id people see: base32 of SHA-256 of the 32-byte public key, in dash-separated groups of seven
 * (as Syncthing shows device ids). The protocol itself always uses the full key.
 */
export function fingerprint(publicKey: Uint8Array): string {
  const digest = base32(crypto.createHash('sha256').update(publicKey).digest());
  return digest.match(/.{1,7}/g)?.join('-') ?? digest;
}

const FINGERPRINT = /^[A-Z2-7]{7}(-[A-Z2-7]{7}){6}-[A-Z2-7]{3}$/;

/** A full fingerprint as `node-unit id` prints it (case and surrounding blanks forgiven), or undefined. */
export function parseFingerprint(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const upper = text.trim().toUpperCase();
  return FINGERPRINT.test(upper) ? upper : undefined;
}

/** The first group: enough for a table, never for a decision. */
export const shortFingerprint = (publicKey: Uint8Array): string => fingerprint(publicKey).slice(0, 7);

export const keyToText = (key: Uint8Array): string => Buffer.from(key).toString('base64url');

export function keyFromText(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === 32 ? new Uint8Array(bytes) : undefined;
}
