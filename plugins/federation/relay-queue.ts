/**
 * One viewer's queue on the master for `logs -f --node`, bounded by a high-water mark (1 MiB): past it a
 * line is dropped and counted, and the count reaches the viewer as one marker where the lines are missing.
 * A worker needs no credit from the viewer: its session drops (and counts) log lines past its own 1 MiB
 * high-water mark and never waits, and the master reads every session at link speed, so one slow viewer
 * costs only its own lines, never the worker, its apps or another viewer.
 */

const MIB = 1024 * 1024;

/** What a master's relay queue hands its viewer. */
export type RelayItem<T> = { readonly kind: 'line'; readonly line: T; readonly size: number } | { readonly kind: 'dropped'; readonly count: number };

export class RelayQueue<T> {
  readonly #items: RelayItem<T>[] = [];
  #head = 0;
  #buffered = 0;
  #dropped = 0;

  constructor(readonly highWater = MIB) {}

  get buffered(): number {
    return this.#buffered;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** What came from upstream (`lines` lines): queued while under the high-water mark, else dropped and counted. */
  push(line: T, size: number, lines = 1): boolean {
    if (this.#buffered + size > this.highWater) {
      this.#dropped += lines;
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
