import nacl from 'tweetnacl';
import { bytesEqual, concat, hash, isSmallOrder, randomBytes } from './crypto.js';

/**
 * Invite tokens: `nu1.` + base64url(0x01 ‖ S_m ‖ seed ‖ expiry u32 BE ‖ host:port ‖ H(all before)[0..4]).
 * The master keeps only the invite's public key I; the seed exists in the token and nowhere else.
 */
export const TOKEN_PREFIX = 'nu1.';
const VERSION = 0x01;
const FIXED = 1 + 32 + 32 + 4;
const CHECK = 4;
const MAX_ADDRESS = 255;

export interface InviteToken {
  readonly masterKey: Uint8Array;
  readonly seed: Uint8Array;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  /** `host:port` of the master, as advertised. */
  readonly address: string;
}

export interface NewInvite {
  readonly token: string;
  /** I: the public key of the invite key pair, the only thing the master stores. */
  readonly inviteKey: Uint8Array;
  readonly expiresAt: number;
}

const ADDRESS = /^[\x21-\x7e]{1,255}$/;

export function createInvite(masterKey: Uint8Array, address: string, expiresAt: number): NewInvite {
  if (!ADDRESS.test(address) || !/:\d{1,5}$/.test(address)) throw new Error(`advertise: expected host:port in plain ASCII (at most ${MAX_ADDRESS} bytes), got ${JSON.stringify(address)}`);
  const seed = randomBytes(32);
  try {
    const pair = nacl.sign.keyPair.fromSeed(seed);
    pair.secretKey.fill(0);
    const expiry = Buffer.alloc(4);
    expiry.writeUInt32BE(expiresAt);
    const body = concat(Uint8Array.of(VERSION), masterKey, seed, expiry, Buffer.from(address, 'ascii'));
    const token = TOKEN_PREFIX + Buffer.from(concat(body, hash(body).subarray(0, CHECK))).toString('base64url');
    body.fill(0);
    return { token, inviteKey: pair.publicKey, expiresAt };
  } finally {
    seed.fill(0);
  }
}

export type TokenResult = { readonly ok: true; readonly invite: InviteToken } | { readonly ok: false; readonly message: string };

/** Never throws; every refusal says what was wrong (never echoing the token itself). */
export function parseInvite(text: string): TokenResult {
  const trimmed = text.trim();
  if (!trimmed.startsWith(TOKEN_PREFIX)) return { ok: false, message: `an invite token starts with "${TOKEN_PREFIX}"` };
  const encoded = trimmed.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return { ok: false, message: 'the invite token holds characters outside base64url; was it cut or wrapped?' };
  const bytes = new Uint8Array(Buffer.from(encoded, 'base64url'));
  if (bytes.length < FIXED + 1 + CHECK || bytes.length > FIXED + MAX_ADDRESS + CHECK) return { ok: false, message: `the invite token is ${bytes.length} bytes long once decoded; was it cut?` };
  const body = bytes.subarray(0, bytes.length - CHECK);
  if (!bytesEqual(hash(body).subarray(0, CHECK), bytes.subarray(bytes.length - CHECK))) return { ok: false, message: 'the invite token does not match its checksum; was it mistyped?' };
  if (body[0] !== VERSION) return { ok: false, message: `invite format ${body[0]} is not supported (this node-unit reads format ${VERSION})` };
  const masterKey = body.slice(1, 33);
  if (isSmallOrder(masterKey)) return { ok: false, message: "the invite names a master key that no node can hold" };
  const address = Buffer.from(body.subarray(FIXED)).toString('ascii');
  if (!ADDRESS.test(address) || !/:\d{1,5}$/.test(address)) return { ok: false, message: 'the invite holds no valid host:port' };
  const invite = { masterKey, seed: body.slice(33, 65), expiresAt: Buffer.from(body.subarray(65, 69)).readUInt32BE(0), address };
  bytes.fill(0);
  return { ok: true, invite };
}

export interface InviteRequest {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ttlSeconds: number;
  /** The fingerprint of the only worker key that may use it. */
  readonly forKey?: string;
}

/** Where a new invite is recorded: only I, name, labels and expiry (the master's PeerStore). */
export interface InviteSink {
  addInvite(invite: { readonly key: Uint8Array; readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly expires: number; readonly forKey?: string }): void;
}

/** Makes an invite, records its public half, and returns the token (to be shown once, never stored). */
export function issueInvite(sink: InviteSink, masterKey: Uint8Array, advertise: string, request: InviteRequest, nowMs = Date.now()): NewInvite {
  const made = createInvite(masterKey, advertise, Math.floor(nowMs / 1000) + request.ttlSeconds);
  sink.addInvite({ key: made.inviteKey, name: request.name, labels: request.labels, expires: made.expiresAt, ...(request.forKey ? { forKey: request.forKey } : {}) });
  return made;
}
