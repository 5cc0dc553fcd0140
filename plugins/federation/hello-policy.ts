import type { AuditLog } from './audit.js';
import { fingerprint, keyToText } from './fingerprint.js';
import type { ServerPolicy } from './handshake-server.js';
import type { Identity } from './identity.js';
import { BucketMap, TokenBucket, type Limits } from './limits.js';
import type { PeerStore } from './store.js';

/**
 * What the master's handshake asks of the world, for one connection: pins and invites from the store, and
 * the HELLO rate buckets (per address, per (address, key) or invite, and the signatures made in all).
 */
export class HelloBuckets {
  readonly #perAddress: BucketMap;
  readonly #perKey: BucketMap;
  readonly #signatures: TokenBucket;

  constructor(
    limits: Limits,
    readonly now: () => number,
  ) {
    this.#perAddress = new BucketMap(limits.helloPerAddress);
    this.#perKey = new BucketMap(limits.helloPerKey);
    this.#signatures = new TokenBucket(limits.signatures, now());
  }

  /**
   * Whether a HELLO from `group` could be admitted now. A socket from an address whose bucket is empty is
   * closed at accept: its HELLO would be refused anyway, and a flood then costs no HTTP or ws work at all.
   */
  addressHasRoom(group: string): boolean {
    return this.#perAddress.hasToken(group, this.now());
  }

  policyFor(group: string, identity: Identity, store: PeerStore, audit: AuditLog): ServerPolicy {
    let keyText = '';
    return {
      publicKey: identity.publicKey,
      secretKey: identity.secretKey,
      pin: (key) => {
        keyText = keyToText(key);
        const peer = store.peerByKey(key);
        return peer ? (peer.revoked ? 'revoked' : 'active') : undefined;
      },
      invite: (key, clientKey) => {
        keyText = keyToText(key);
        // An invite made by the CLI a moment ago is on disk only.
        store.refresh();
        return store.invite(key, Date.now() / 1000, clientKey);
      },
      allow: (bucket) => {
        const now = this.now();
        if (bucket === 'address') return this.#perAddress.take(group, now);
        if (bucket === 'signatures') return this.#signatures.take(now);
        return this.#perKey.take(`${bucket}|${group}|${keyText}`, now);
      },
      claimInvite: (inviteKey, clientKey) => {
        const peer = store.claimInvite(inviteKey, clientKey, new Date());
        if (peer) audit.write({ action: 'join', result: 'ok', peer: fingerprint(clientKey), target: peer.name, detail: `invite ${fingerprint(inviteKey)}`, address: group });
        else audit.write({ action: 'join', result: 'warning', peer: fingerprint(clientKey), detail: `second use of invite ${fingerprint(inviteKey)} refused`, address: group });
        return peer !== undefined;
      },
    };
  }
}
