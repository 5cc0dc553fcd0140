import type { LogStream } from '../model/events.js';
import { countLines } from './bytes.js';
import { segmentLines, type LogLine, type Segment } from './segment.js';

/** An arena starts this small and doubles as an instance's output needs, up to the ring's byte budget. */
const FIRST_ARENA_BYTES = 16 * 1024;

/** A segment and where it lies in the arena's endless byte sequence (its place is that modulo the arena's size). */
interface Placed {
  readonly segment: Segment;
  readonly at: number;
}

/**
 * The recent lines of one instance, bounded by a line count and a byte budget. The bytes live in one
 * arena reused in a circle, so a flood costs a copy per chunk and no allocation: fresh memory for every
 * chunk made the kernel fault in new pages at about the rate the lines arrived.
 */
export class Ring {
  private arena = Buffer.alloc(0);
  private placed: Placed[] = [];
  private first = 0;
  private head = 0;
  private lines = 0;

  constructor(
    private maxLines: number,
    private readonly maxBytes: number,
  ) {}

  /** A new line budget (a reload changed log_buffer): older lines past it go at once. */
  resize(maxLines: number): void {
    this.maxLines = maxLines;
    this.evictOverLineBudget();
  }

  /**
   * Keeps a copy of the segment's lines (its data may be lent). A chunk over the byte budget keeps its last
   * lines and replaces everything older (a tail must not skip lines); a line over the whole budget is not kept.
   */
  add(segment: Segment): void {
    const kept = this.fitBudget(segment);
    if (kept !== segment) this.evict(() => true);
    if (!kept) return;
    const length = kept.data.length;
    if (length === 0) return;
    if (this.needsRoom(length, kept.count)) this.grow(length);
    const at = this.placeFor(length);
    this.head = at + length;
    this.evict((oldest) => oldest.at < this.head - this.arena.length);
    const start = at % this.arena.length;
    kept.data.copy(this.arena, start);
    this.placed.push({ segment: { ...kept, data: this.arena.subarray(start, start + length) }, at });
    this.lines += kept.count;
    this.evictOverLineBudget();
  }

  /** The last n lines (of these streams), oldest first. */
  tail(n: number, maxLine: number, streams?: readonly LogStream[]): LogLine[] {
    const picked: Segment[] = [];
    let count = 0;
    for (let i = this.placed.length - 1; i >= this.first && count < n; i--) {
      const segment = this.placed[i]?.segment;
      if (!segment || (streams && !streams.includes(segment.stream))) continue;
      picked.push(segment);
      count += segment.count;
    }
    const lines = picked.reverse().flatMap((segment) => segmentLines(segment, maxLine));
    return lines.length > n ? lines.slice(lines.length - n) : lines;
  }

  /** Where `length` bytes go: at the head, or at the arena's start when they would run past its end. */
  private placeFor(length: number): number {
    const offset = this.head % this.arena.length;
    return offset + length > this.arena.length ? this.head + this.arena.length - offset : this.head;
  }

  /** Whether the arena should grow: the bytes would push out lines the line budget still keeps. */
  private needsRoom(length: number, count: number): boolean {
    if (length > this.arena.length) return true;
    if (this.arena.length >= this.maxBytes) return false;
    let lines = this.lines + count;
    let oldestKept = this.first;
    for (let p = this.placed[oldestKept]; p && this.overLineBudget(lines, p); p = this.placed[oldestKept]) {
      lines -= p.segment.count;
      oldestKept++;
    }
    const wanted = this.placed[oldestKept];
    return wanted !== undefined && wanted.at < this.placeFor(length) + length - this.arena.length;
  }

  /** Whether `lines` lines are too many even without the oldest segment: then it goes. */
  private overLineBudget(lines: number, oldest: Placed): boolean {
    return lines - oldest.segment.count >= this.maxLines;
  }

  /** The newest segment stays whatever its line count. */
  private evictOverLineBudget(): void {
    this.evict((oldest) => this.overLineBudget(this.lines, oldest) && this.live() > 1);
  }

  private live(): number {
    return this.placed.length - this.first;
  }

  /** A segment larger than the whole budget keeps the lines that fit, from a line start. */
  private fitBudget(segment: Segment): Segment | undefined {
    const { data } = segment;
    if (data.length <= this.maxBytes) return segment;
    const from = data.indexOf(0x0a, data.length - this.maxBytes - 1) + 1;
    if (from === 0 || from >= data.length) return undefined;
    const dropped = countLines(data.subarray(0, from));
    return { ...segment, seq: segment.seq + dropped, count: segment.count - dropped, data: data.subarray(from) };
  }

  /** Doubles the arena until `length` and the live lines fit (up to the budget); the newest live lines move to its start. */
  private grow(length: number): void {
    const live = this.placed.slice(this.first).map((p) => p.segment);
    const liveBytes = live.reduce((sum, segment) => sum + segment.data.length, 0);
    let size = Math.max(this.arena.length, FIRST_ARENA_BYTES);
    while (size < length + liveBytes && size < this.maxBytes) size *= 2;
    size = Math.max(Math.min(size, this.maxBytes), length);
    let from = live.length;
    for (let bytes = length; from > 0 && bytes + (live[from - 1]?.data.length ?? 0) <= size; from--) bytes += live[from - 1]?.data.length ?? 0;
    const arena = Buffer.allocUnsafe(size);
    const placed: Placed[] = [];
    let at = 0;
    for (const segment of live.slice(from)) {
      segment.data.copy(arena, at);
      placed.push({ segment: { ...segment, data: arena.subarray(at, at + segment.data.length) }, at });
      at += segment.data.length;
    }
    this.lines = placed.reduce((sum, p) => sum + p.segment.count, 0);
    this.arena = arena;
    this.placed = placed;
    this.first = 0;
    this.head = at;
  }

  private evict(when: (oldest: Placed) => boolean): void {
    for (let oldest = this.placed[this.first]; oldest && when(oldest); oldest = this.placed[this.first]) {
      this.lines -= oldest.segment.count;
      this.first++;
    }
    // The dropped slots are shed now and then rather than by a shift() per segment.
    if (this.first > 64 && this.first * 2 > this.placed.length) {
      this.placed = this.placed.slice(this.first);
      this.first = 0;
    }
  }
}
