import type { LogLine, LogStream, SupervisorEvent } from './events.js';
import type { InstanceId } from './ids.js';

/**
 * Log lines as they travel to a subscriber that asked for them `packed`: consecutive lines of one instance
 * that arrived together (same stream and time, seq one after another) become one run, their texts joined by
 * a newline. Encoding and parsing one long string per run instead of one object per line is what lets a
 * flood through a socket (both ends' JSON work is most of what a follower costs). A line is never split: a
 * line that itself holds a newline, a marker line, or one that differs from its neighbour starts a run of its
 * own, and `count` says how many lines a run's text must split into.
 */
export interface LogRun {
  /** The first line's; the others follow one by one. */
  readonly seq: number;
  readonly count: number;
  readonly node?: string;
  readonly id: InstanceId;
  readonly app: string;
  readonly stream: LogStream;
  readonly time: number;
  readonly text: string;
  readonly skipped?: number;
}

const NEWLINE = '\n';
/**
 * A run's text stops growing past this many characters: V8 parses JSON strings of a few KiB several times
 * faster per byte than strings of hundreds of KiB (measured: ~1 GB/s against ~100–200 MB/s).
 */
export const RUN_CHARS = 16 * 1024;

/** Whether `line` can join the run that `first` opened and that holds `held` lines of `chars` characters. */
function joins(first: LogLine, held: number, chars: number, line: LogLine): boolean {
  return (
    chars + line.line.length < RUN_CHARS &&
    line.seq === first.seq + held &&
    line.id === first.id &&
    line.stream === first.stream &&
    line.time === first.time &&
    line.node === first.node &&
    line.app === first.app &&
    line.skipped === undefined &&
    !line.line.includes(NEWLINE)
  );
}

function runOf(first: LogLine, texts: readonly string[]): LogRun {
  const { seq, node, id, app, stream, time, skipped } = first;
  return { seq, count: texts.length, ...(node === undefined ? {} : { node }), id, app, stream, time, text: texts.length === 1 ? first.line : texts.join(NEWLINE), ...(skipped === undefined ? {} : { skipped }) };
}

/** `lines` as runs, in order; unpackRun(s) gives them back exactly. */
export function packLines(lines: readonly LogLine[]): LogRun[] {
  const runs: LogRun[] = [];
  let first: LogLine | undefined;
  let texts: string[] = [];
  let chars = 0;
  // A run opened by a marker or by a line holding a newline takes nothing more.
  let open = false;
  for (const line of lines) {
    if (first !== undefined && open && joins(first, texts.length, chars, line)) {
      texts.push(line.line);
      chars += line.line.length + 1;
      continue;
    }
    if (first !== undefined) runs.push(runOf(first, texts));
    first = line;
    texts = [line.line];
    chars = line.line.length;
    open = line.skipped === undefined && !line.line.includes(NEWLINE);
  }
  if (first !== undefined) runs.push(runOf(first, texts));
  return runs;
}

/** A run's lines, or what is wrong with it (its text does not hold `count` lines). */
export function unpackRun(run: LogRun, into: LogLine[], path: string): string | undefined {
  const { seq, node, id, app, stream, time } = run;
  if (run.count === 1) {
    const line = { seq, id, app, stream, time, line: run.text };
    into.push({ ...line, ...(node === undefined ? {} : { node }), ...(run.skipped === undefined ? {} : { skipped: run.skipped }) });
    return undefined;
  }
  const texts = run.text.split(NEWLINE);
  if (texts.length !== run.count || run.skipped !== undefined) return `${path}: expected ${run.count} lines without a skipped count, got ${texts.length}${run.skipped === undefined ? '' : ' and a skipped count'}`;
  // Object literals of one shape, not spreads: a flood makes one per line.
  if (node === undefined) for (let i = 0; i < texts.length; i++) into.push({ seq: seq + i, id, app, stream, time, line: texts[i] ?? '' });
  else for (let i = 0; i < texts.length; i++) into.push({ seq: seq + i, node, id, app, stream, time, line: texts[i] ?? '' });
  return undefined;
}

/**
 * A subscriber's listener as a subscription that asked for runs calls it: log events become runs handed to
 * `runs` (packed here when they came as lines), every other event goes to `listener`.
 */
export function withRuns(listener: (event: SupervisorEvent) => void, runs: ((runs: readonly LogRun[]) => void) | undefined): (event: SupervisorEvent) => void {
  if (!runs) return listener;
  return (event) => (event.type === 'log' ? runs(packLines(event.lines)) : listener(event));
}

/** How many lines a run's text splits into: its newlines, plus one. */
export function linesOfText(text: string): number {
  let count = 1;
  for (let at = text.indexOf(NEWLINE); at >= 0; at = text.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/** The lines of a run that come after sequence number `seq`: the run itself, its tail as a run, or undefined when none does. */
export function runAfter(run: LogRun, seq: number): LogRun | undefined {
  const seen = Math.max(0, seq - run.seq + 1);
  if (seen === 0) return run;
  if (seen >= run.count) return undefined;
  let cut = 0;
  for (let i = 0; i < seen; i++) cut = run.text.indexOf(NEWLINE, cut) + 1;
  return { ...run, seq: run.seq + seen, count: run.count - seen, text: run.text.slice(cut) };
}
