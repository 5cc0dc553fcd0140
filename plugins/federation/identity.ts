import fs from 'node:fs';
import path from 'node:path';
import nacl from 'tweetnacl';
import { FederationFileError, writeAtomic } from './files.js';
import { fingerprint } from './fingerprint.js';

/** A node's long-term ed25519 key pair; the secret key stays in a Uint8Array and never becomes a string. */
export interface Identity {
  readonly publicKey: Uint8Array;
  /** tweetnacl's 64-byte format. */
  readonly secretKey: Uint8Array;
  readonly fingerprint: string;
}

export const federationDir = (stateDir: string): string => path.join(stateDir, 'federation');
export const keyFile = (stateDir: string): string => path.join(federationDir(stateDir), 'node.key');

function fromSeed(seed: Uint8Array): Identity {
  const pair = nacl.sign.keyPair.fromSeed(seed);
  return { publicKey: pair.publicKey, secretKey: pair.secretKey, fingerprint: fingerprint(pair.publicKey) };
}

/**
 * Loads `federation/node.key` (the raw 32-byte seed), or makes a random one on first use. A key readable by
 * group or others is refused: whoever can read it can be this node.
 */
export function loadOrCreateIdentity(stateDir: string): Identity {
  const file = keyFile(stateDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new FederationFileError(file, `cannot be read (${(error as Error).message})`);
    const seed = nacl.randomBytes(32);
    try {
      writeAtomic(file, seed, 0o600);
      return fromSeed(seed);
    } finally {
      seed.fill(0);
    }
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new FederationFileError(file, `is readable by group or others (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}); run: chmod 600 ${file}`);
  }
  const seed = new Uint8Array(fs.readFileSync(file));
  try {
    if (seed.length !== 32) throw new FederationFileError(file, `expected a 32-byte key, found ${seed.length} bytes`);
    return fromSeed(seed);
  } finally {
    seed.fill(0);
  }
}
