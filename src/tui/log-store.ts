import type { LogLine, LogStream } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import { sanitize, stripAnsi } from './ansi.js';
import { LongTexts, type WholeText } from './long-text.js';
import { Ring } from './ring.js';

/** A log line ready to show: `text` keeps colours, `plain` is its text without them (both cut at STORE_CHARS). */
export interface TuiLine {
  readonly seq: number;
  readonly id: InstanceId;
  readonly app: string;
  /** 'event': a lifecycle line of the view's own (started, exited with code 1, restarting in …). */
  readonly stream: LogStream | 'event';
  readonly text: string;
  readonly plain: string;
  /** When it arrived (ms since the epoch): the timestamp column shows it. */
  readonly time?: number;
  /** The whole text (no colours) of a line longer than STORE_CHARS, while the store holds it (see long-text.ts). */
  readonly whole?: WholeText;
}

/** What search and copy see: the whole line while the store holds it, else its kept part. */
export function searchText(line: TuiLine): string {
  return line.whole?.text ?? line.plain;
}

/** What the log pane reads: lines oldest to newest, seq increasing. */
export interface LogView {
  readonly length: number;
  at(index: number): TuiLine | undefined;
}

export const PER_INSTANCE_LINES = 2000;
/** Places between two log lines for lifecycle and remote lines; past that many they share the last one. */
const FRACTIONS = 1e7;
export const MERGED_LINES = 5000;
/**
 * What the view keeps of one line for display: its first 16 K characters. A ring holds a count of lines; this
 * makes its memory a bound too: at most 16 K characters × (MERGED_LINES + PER_INSTANCE_LINES per instance),
 * plus the whole texts of long lines for search and copy, within LONG_TEXT_CHARS (long-text.ts).
 */
export const STORE_CHARS = 16_384;

/**
 * Bounded memory whatever the flood: one ring per instance plus one merged ring for the all-apps view.
 * Both rings share the same line objects.
 */
export class LogStore {
  private readonly merged = new Ring<TuiLine>(MERGED_LINES);
  private readonly perInstance = new Map<InstanceId, Ring<TuiLine>>();
  private readonly longTexts: LongTexts;
  private lastSeq = -1;
  /** Lifecycle lines fall between two log lines: their seq is the last log line's plus a fraction. */
  private eventsSinceLine = 0;

  constructor(
    private readonly perInstanceCapacity = PER_INSTANCE_LINES,
    longTextChars?: number,
  ) {
    this.longTexts = new LongTexts(longTextChars);
  }

  append(lines: readonly LogLine[]): void {
    for (const line of lines) {
      if (line.seq <= this.lastSeq) continue;
      this.lastSeq = line.seq;
      this.eventsSinceLine = 0;
      this.push(this.toTuiLine(line));
    }
  }

  /** A lifecycle line, after every log line received so far. */
  addEvent(id: InstanceId, app: string, text: string, time = Date.now()): void {
    this.push({ seq: this.nextFraction(), id, app, stream: 'event', time, text, plain: text });
  }

  /**
   * Lines of another node, in the order they arrive: their seqs are that node's, so each takes a place after
   * every line received so far, as lifecycle lines do. `id` and `app` say where they belong in this view.
   */
  addRemote(lines: readonly LogLine[], place: (line: LogLine) => { readonly id: InstanceId; readonly app: string }): void {
    for (const line of lines) this.push({ ...this.toTuiLine(line), ...place(line), seq: this.nextFraction() });
  }

  /** A seq between the last log line's and the next one's (the next is at least one more). */
  private nextFraction(): number {
    this.eventsSinceLine = Math.min(this.eventsSinceLine + 1, FRACTIONS - 1);
    return this.lastSeq + this.eventsSinceLine / FRACTIONS;
  }

  /**
   * The lines of the target as they are now, kept apart from the rings: a paused pane reads this, so it holds
   * still however fast lines arrive. Memory: one array of at most MERGED_LINES references, shared lines.
   */
  snapshot(target: InstanceId | 'all'): LogView {
    const view = this.view(target);
    const lines: TuiLine[] = [];
    for (let i = 0; i < view.length; i++) {
      const line = view.at(i);
      if (line) lines.push(line);
    }
    return { length: lines.length, at: (index) => lines[index] };
  }

  /** Puts the initial tail before the live lines that may already have arrived; duplicates are dropped. */
  seed(lines: readonly LogLine[]): void {
    const live = this.merged.toArray();
    const liveByInstance = new Map([...this.perInstance].map(([id, ring]) => [id, ring.toArray()]));
    const firstLive = live[0]?.seq ?? Number.POSITIVE_INFINITY;
    const seen = new Set<number>();
    const older = lines.filter((line) => line.seq < firstLive && !seen.has(line.seq) && seen.add(line.seq)).sort((a, b) => a.seq - b.seq);
    this.merged.clear();
    this.perInstance.clear();
    for (const line of older) this.push(this.toTuiLine(line));
    for (const line of live) this.merged.push(line);
    for (const [id, ringLines] of liveByInstance) for (const line of ringLines) this.ring(id).push(line);
    this.lastSeq = Math.max(this.lastSeq, older.at(-1)?.seq ?? -1);
  }

  private toTuiLine(line: LogLine): TuiLine {
    const long = line.line.length > STORE_CHARS;
    const text = sanitize(long ? line.line.slice(0, STORE_CHARS) : line.line);
    const tuiLine = { seq: line.seq, id: line.id, app: line.app, stream: line.stream, time: line.time, text, plain: stripAnsi(text) };
    return long ? { ...tuiLine, whole: this.longTexts.keep(stripAnsi(sanitize(line.line))) } : tuiLine;
  }

  view(target: InstanceId | 'all'): LogView {
    if (target === 'all') return this.merged;
    return this.perInstance.get(target) ?? EMPTY;
  }

  private push(line: TuiLine): void {
    this.merged.push(line);
    this.ring(line.id).push(line);
  }

  private ring(id: InstanceId): Ring<TuiLine> {
    let ring = this.perInstance.get(id);
    if (!ring) {
      ring = new Ring<TuiLine>(this.perInstanceCapacity);
      this.perInstance.set(id, ring);
    }
    return ring;
  }
}

const EMPTY: LogView = { length: 0, at: () => undefined };

/** Index of the first line whose seq is >= seq (length when none). */
export function indexAtOrAfter(view: LogView, seq: number): number {
  let lo = 0;
  let hi = view.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((view.at(mid)?.seq ?? Number.POSITIVE_INFINITY) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
