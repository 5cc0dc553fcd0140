/**
 * Flow control for remote log follows, as pure state. The viewer grants bytes; the worker sends a line only
 * while it holds credit, and otherwise drops it for that viewer and counts it, so a slow viewer never makes
 * a worker buffer, block its supervisor or slow an app. The master relays through a bounded queue per
 * viewer and grants upstream only what that queue can hold; a peer that overruns it loses lines, counted.
 */

/** Sent to a viewer in place of lines it did not get. */
export interface DroppedMarker {
  readonly dropped: number;
}

export const MIB = 1024 * 1024;
/** A viewer cannot make a worker owe it more than this (a huge grant is no licence to buffer). */
export const MAX_CREDIT = 4 * MIB;

export type GrantResult = { readonly ok: true; readonly marker: DroppedMarker | undefined } | { readonly ok: false; readonly error: string };

/** One viewer's follow, on the worker. Holds two numbers, never a line. */
export class FollowCredit {
  #credit: number;
  #dropped = 0;
  #droppedTotal = 0;

  constructor(
    initial = 0,
    readonly maxCredit = MAX_CREDIT,
  ) {
    this.#credit = Math.min(initial, maxCredit);
  }

  get credit(): number {
    return this.#credit;
  }

  /** Lines dropped since the last marker was handed out. */
  get pendingDropped(): number {
    return this.#dropped;
  }

  get droppedTotal(): number {
    return this.#droppedTotal;
  }

  /** Adds credit; hands out the marker for lines dropped while there was none, to send before any new line. */
  grant(bytes: unknown): GrantResult {
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes <= 0) return { ok: false, error: `credit: expected a positive integer of bytes, got ${JSON.stringify(bytes) ?? String(bytes)}` };
    this.#credit = Math.min(this.#credit + bytes, this.maxCredit);
    const marker = this.#dropped > 0 ? { dropped: this.#dropped } : undefined;
    this.#dropped = 0;
    return { ok: true, marker };
  }

  /** Whether a line of `size` bytes goes to this viewer now; if not, it is counted as dropped. */
  offer(size: number): boolean {
    if (size <= this.#credit) {
      this.#credit -= size;
      return true;
    }
    this.#dropped++;
    this.#droppedTotal++;
    return false;
  }
}

/** What a master's relay queue hands its viewer. */
export type RelayItem<T> = { readonly kind: 'line'; readonly line: T; readonly size: number } | { readonly kind: 'dropped'; readonly count: number };

/**
 * One viewer's queue on the master, bounded by a high-water mark (1 MiB). Upstream grants are what the
 * queue can still take, minus what was granted and has not arrived yet, so an honest worker never
 * overruns it: it drops at the source instead.
 */
export class RelayQueue<T> {
  readonly #items: RelayItem<T>[] = [];
  #head = 0;
  #buffered = 0;
  #outstanding = 0;
  #dropped = 0;
  #overruns = 0;

  constructor(readonly highWater = MIB) {}

  get buffered(): number {
    return this.#buffered;
  }

  /** Lines a peer sent beyond the credit it was given, dropped here (a misbehaving or buggy peer). */
  get overruns(): number {
    return this.#overruns;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Bytes to grant upstream now: 0 until at least `minGrant` is free, so grants are few and large. */
  grantUpstream(minGrant = this.highWater / 4): number {
    const free = this.highWater - this.#buffered - this.#outstanding;
    if (free < minGrant || free <= 0) return 0;
    this.#outstanding += free;
    return free;
  }

  /** A line from upstream: queued while under the high-water mark, else dropped and counted. */
  push(line: T, size: number): boolean {
    this.#outstanding = Math.max(0, this.#outstanding - size);
    if (this.#buffered + size > this.highWater) {
      this.#dropped++;
      this.#overruns++;
      return false;
    }
    this.#flushMarker();
    this.#items.push({ kind: 'line', line, size });
    this.#buffered += size;
    return true;
  }

  /** A marker that came from upstream (the worker dropped lines); merged with any pending count here. */
  pushDropped(count: number): void {
    this.#dropped += count;
  }

  /** Up to `maxBytes` of lines (at least one line when any is queued), with markers where lines are missing. */
  take(maxBytes: number): readonly RelayItem<T>[] {
    const out: RelayItem<T>[] = [];
    let bytes = 0;
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head];
      if (!item) break;
      const size = item.kind === 'line' ? item.size : 0;
      if (out.length > 0 && bytes + size > maxBytes) break;
      out.push(item);
      bytes += size;
      this.#buffered -= size;
      this.#head++;
    }
    this.#compact();
    if (this.#head === this.#items.length) this.#flushMarker(out);
    return out;
  }

  #flushMarker(into: RelayItem<T>[] = this.#items): void {
    if (this.#dropped === 0) return;
    into.push({ kind: 'dropped', count: this.#dropped });
    this.#dropped = 0;
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

/** A session's follows on the worker: at most `max`, each with its own credit, so one viewer never holds up another. */
export class Follows<K> {
  readonly #follows = new Map<K, FollowCredit>();

  constructor(readonly max = 16) {}

  /** Opens a follow, or says why not (too many, or the key is taken). */
  open(key: K, initialCredit = 0): FollowCredit | string {
    if (this.#follows.has(key)) return 'follow: this follow is already open';
    if (this.#follows.size >= this.max) return `follow: at most ${this.max} follows per session`;
    const follow = new FollowCredit(initialCredit);
    this.#follows.set(key, follow);
    return follow;
  }

  get(key: K): FollowCredit | undefined {
    return this.#follows.get(key);
  }

  close(key: K): void {
    this.#follows.delete(key);
  }

  /** The follows (among `keys`) that get a line of `size` bytes now; the others count it as dropped. */
  offer(keys: Iterable<K>, size: number): readonly K[] {
    const receivers: K[] = [];
    for (const key of keys) if (this.#follows.get(key)?.offer(size)) receivers.push(key);
    return receivers;
  }
}
