import net from 'node:net';

/** The limits table of FEDERATION.md; every value can be overridden (tests shorten the deadline). */
export interface Limits {
  readonly handshakeDeadlineMs: number;
  readonly unauthenticatedPerAddress: number;
  readonly unauthenticatedTotal: number;
  readonly helloPerAddress: BucketSpec;
  readonly helloPerKey: BucketSpec;
  readonly signatures: BucketSpec;
  /** Control messages a peer may send per second: a request's lines, pings, snapshots; never reply data. */
  readonly messagesPerSecond: number;
  /** Bytes of frames a peer may send per second, each frame counted as at least MIN_FRAME_CHARGE. */
  readonly bytesPerSecond: number;
  readonly outboundHighWater: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxHeaderBytes: number;
  readonly pingEveryMs: number;
  readonly staleAfterMs: number;
  readonly workerRotateMs: number;
  readonly masterMaxSessionMs: number;
  /** Refusals written to the audit log per address: a burst, then one per period (the rest counted). */
  readonly auditPerAddress: BucketSpec;
}

export interface BucketSpec {
  readonly burst: number;
  readonly perSecond: number;
}

export const DEFAULT_LIMITS: Limits = {
  handshakeDeadlineMs: 5_000,
  unauthenticatedPerAddress: 16,
  unauthenticatedTotal: 256,
  helloPerAddress: { burst: 10, perSecond: 5 },
  helloPerKey: { burst: 3, perSecond: 0.1 },
  signatures: { burst: 20, perSecond: 20 },
  messagesPerSecond: 200,
  bytesPerSecond: 128 * 1024 * 1024,
  outboundHighWater: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  maxHeaderBytes: 16 * 1024,
  pingEveryMs: 10_000,
  staleAfterMs: 30_000,
  workerRotateMs: 24 * 3600_000,
  masterMaxSessionMs: 25 * 3600_000,
  auditPerAddress: { burst: 1, perSecond: 0.1 },
};

/** A token bucket on a monotonic clock (milliseconds). */
export class TokenBucket {
  #tokens: number;
  #at: number;
  constructor(
    readonly spec: BucketSpec,
    now: number,
  ) {
    this.#tokens = spec.burst;
    this.#at = now;
  }

  take(now: number, amount = 1): boolean {
    this.#tokens = Math.min(this.spec.burst, this.#tokens + ((now - this.#at) / 1000) * this.spec.perSecond);
    this.#at = now;
    if (this.#tokens < amount) return false;
    this.#tokens -= amount;
    return true;
  }

  /** Whether `take` would succeed now, without taking. */
  hasToken(now: number, amount = 1): boolean {
    return this.#tokens + ((now - this.#at) / 1000) * this.spec.perSecond >= amount;
  }

  /** Milliseconds until `take(amount)` can succeed (0 when it can now). */
  waitMs(now: number, amount = 1): number {
    const missing = amount - (this.#tokens + ((now - this.#at) / 1000) * this.spec.perSecond);
    return missing <= 0 ? 0 : Math.ceil((missing / this.spec.perSecond) * 1000);
  }

  full(now: number): boolean {
    return this.#tokens + ((now - this.#at) / 1000) * this.spec.perSecond >= this.spec.burst;
  }
}

/** Buckets by key, forgetting full ones now and then so an address sweep cannot grow memory without bound. */
export class BucketMap {
  readonly #buckets = new Map<string, TokenBucket>();
  constructor(readonly spec: BucketSpec) {}

  take(key: string, now: number): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= 10_000) this.#sweep(now);
      bucket = new TokenBucket(this.spec, now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  /** Whether `take(key)` would succeed now (an unknown key has a full bucket). */
  hasToken(key: string, now: number): boolean {
    return this.#buckets.get(key)?.hasToken(now) ?? true;
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) if (bucket.full(now)) this.#buckets.delete(key);
  }
}

/** The address a limit counts: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 grouped by its /64. */
export function addressGroup(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (net.isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
  return address;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') && tail !== '' ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  const groups = address.includes('::') ? [...left, ...Array<string>(missing).fill('0'), ...right] : left;
  return groups.map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** Counts sockets per group and in all; `acquire` refuses past either limit. */
export class SocketCounter {
  readonly #perGroup = new Map<string, number>();
  #total = 0;
  constructor(
    readonly perGroup: number,
    readonly total: number,
  ) {}

  acquire(group: string): boolean {
    const current = this.#perGroup.get(group) ?? 0;
    if (current >= this.perGroup || this.#total >= this.total) return false;
    this.#perGroup.set(group, current + 1);
    this.#total += 1;
    return true;
  }

  release(group: string): void {
    const current = this.#perGroup.get(group) ?? 0;
    if (current <= 1) this.#perGroup.delete(group);
    else this.#perGroup.set(group, current - 1);
    this.#total = Math.max(0, this.#total - 1);
  }

  get count(): number {
    return this.#total;
  }
}
