import nacl from 'tweetnacl';
import { bytesEqual, nodeCryptoOps, randomBytes, type CryptoOps } from './crypto.js';
import { dial, DialError } from './dial.js';
import { fingerprint } from './fingerprint.js';
import type { Identity } from './identity.js';
import { parseInvite } from './invite.js';
import { DEFAULT_LIMITS } from './limits.js';
import { readMasterPin, writeMasterPin } from './worker.js';

/**
 * `join`: one connection in join mode with the invite's key pair. The master is recorded (master.json)
 * only once its READY opened. Works whether or not this node's supervisor runs: a running one notices the
 * new master.json and dials in session mode.
 */

/** The handshake went through but READY never opened (a refusal closes with a 44xx code instead). */
const readyLost = (error: unknown): boolean => error instanceof DialError && (error.reason === 'deadline' || error.reason === 'bad_frame' || (error.reason === 'closed' && (error.code ?? 0) < 4000));

export interface JoinResult {
  readonly master: string;
  readonly masterId: string;
  readonly url: string;
  readonly sid: string;
}

export async function joinMaster(token: string, identity: Identity, dir: string, options: { readonly replaceMaster?: boolean; readonly ops?: CryptoOps } = {}): Promise<JoinResult> {
  const parsed = parseInvite(token);
  if (!parsed.ok) throw new Error(`join: ${parsed.message}`);
  const { invite } = parsed;
  const current = readMasterPin(dir);
  if (current && !bytesEqual(current.key, invite.masterKey) && !options.replaceMaster) {
    throw new Error(`join: this node is already joined to master ${fingerprint(current.key)}; the invite names master ${fingerprint(invite.masterKey)} (master key changed?). Run join --replace-master to re-pin`);
  }
  const pair = nacl.sign.keyPair.fromSeed(invite.seed);
  invite.seed.fill(0);
  const url = `ws://${invite.address}`;
  const attempt = (withInvite: boolean): ReturnType<typeof dial> =>
    dial({
      url,
      client: { publicKey: identity.publicKey, secretKey: identity.secretKey, masterKey: invite.masterKey, ...(withInvite ? { invite: pair } : {}) },
      ops: options.ops ?? nodeCryptoOps,
      random: randomBytes,
      deadlineMs: DEFAULT_LIMITS.handshakeDeadlineMs,
      rates: DEFAULT_LIMITS,
      now: () => performance.now(),
      onMessage: () => undefined,
      onMalformed: () => undefined,
      onEnd: () => undefined,
    });
  try {
    // If the join's READY was lost, the master has pinned us already: a session-mode attempt confirms it.
    const { session, ready } = await attempt(true).catch((error: unknown) => (readyLost(error) ? attempt(false).catch(() => Promise.reject(error)) : Promise.reject(error)));
    writeMasterPin(dir, { url, key: invite.masterKey, name: ready.name, pinned: new Date().toISOString() });
    session.end('closed', 'joined', 1000);
    return { master: ready.name, masterId: fingerprint(invite.masterKey), url, sid: session.sid };
  } finally {
    pair.secretKey.fill(0);
  }
}
