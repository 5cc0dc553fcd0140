import { charBoundary } from './bytes.js';

/** Appended where a line longer than the maximum is broken so memory stays bounded; nothing is dropped. */
export const WRAP_MARKER = ' [… line continues]';
const WRAP = Buffer.from(`${WRAP_MARKER}\n`);
const NEWLINE = Buffer.from('\n');
/** A chunk smaller than this means the reader is ahead of the writer: let the pipe collect output a while. */
const SMALL_CHUNK = 32 * 1024;
const COLLECT_MS = 1;

/**
 * Output read into one buffer that serves every pipe (see supervisor/pipes.ts): each chunk is lent,
 * valid only during the call, so a flood allocates nothing per read. A source that has already scanned
 * a chunk passes the count of its newlines and the offset of the last one.
 */
export interface LentChunks {
  readonly kind: 'lent';
  /** Stops reading at once (the child's pipe fills and the child waits); resume() starts again. */
  pause(): void;
  resume(): void;
  /** Sets the one taker of the chunks, and what to call once at the end of the output (or a read error). */
  lend(take: (chunk: Buffer, newlines?: number, lastNewline?: number) => void, end: () => void): void;
}

/** A child's stdout or stderr: an ordinary stream, or lent chunks. */
export type LogSource = NodeJS.ReadableStream | LentChunks;

const isLent = (source: LogSource): source is LentChunks => 'kind' in source && source.kind === 'lent';

export interface ReaderSink {
  /** Takes whole lines (each ends in `\n`; `count` of them when known), lent: valid only during the call. False asks the reader to pause. */
  readonly lines: (data: Buffer, count?: number) => boolean;
  /** Calls `resume` once the files can take more. */
  readonly whenWritable: (resume: () => void) => void;
}

/** How the reader steers a source: both kinds pause and resume; a stream also buffers while paused. */
interface Flow {
  pause(): void;
  resume(): void;
  /** After a pause: hands over what a stream buffered meanwhile, as one chunk. */
  gather(): void;
}

type Take = (data: Buffer, newlines?: number, lastNewline?: number) => void;

/** Connects the source to `take` and `end` (called once); returns how to steer it. */
function connect(source: LogSource, take: Take, end: () => void): Flow {
  if (isLent(source)) {
    source.lend(take, end);
    return { pause: () => source.pause(), resume: () => source.resume(), gather: () => undefined };
  }
  const onData = (chunk: Buffer | string): void => take(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const finish = (): void => {
    source.removeListener('data', onData);
    end();
  };
  source.on('data', onData);
  source.once('end', finish);
  source.once('close', finish);
  source.once('error', finish);
  return { pause: () => source.pause(), resume: () => source.resume(), gather: () => void source.read() };
}

/**
 * Reads a child's stream and hands on whole lines only, one batch per chunk, so lines of several
 * streams never interleave inside a shared file. The unterminated last line is completed at the end.
 *
 * A child that prints line by line would cost one read and one event per line or two. After a small
 * chunk the stream is paused for a millisecond, so the pipe gathers what the child writes meanwhile
 * into one large read; the child does not wait (a pipe holds 64 KiB). Large chunks never pause.
 */
export function readLines(source: LogSource, maxLine: number, sink: ReaderSink): Promise<void> {
  const lent = isLent(source);
  // What outlives the call (a partial line) is copied out of a lent chunk.
  const keep = (data: Buffer): Buffer => (lent ? Buffer.from(data) : data);
  let pending: Buffer | undefined;
  let blocked = false;
  let collecting: NodeJS.Timeout | undefined;
  let flow: Flow | undefined;
  const resumeUnlessHeld = (): void => {
    if (!blocked && collecting === undefined) flow?.resume();
  };
  const hand = (data: Buffer, count?: number): void => {
    if (sink.lines(data, count) || blocked) return;
    blocked = true;
    flow?.pause();
    sink.whenWritable(() => {
      blocked = false;
      resumeUnlessHeld();
    });
  };
  const collect = (): void => {
    if (collecting !== undefined || blocked) return;
    flow?.pause();
    collecting = setTimeout(() => {
      collecting = undefined;
      if (!blocked) flow?.gather();
      resumeUnlessHeld();
    }, COLLECT_MS);
  };
  const take: Take = (data, newlines, lastNewline) => {
    const last = lastNewline ?? data.lastIndexOf(0x0a);
    if (last === -1) {
      pending = pending ? Buffer.concat([pending, data]) : keep(data);
    } else {
      let from = 0;
      let count = newlines;
      if (pending) {
        // Only the line that straddles two chunks is copied; the rest of the chunk is handed on as it is.
        from = data.indexOf(0x0a) + 1;
        hand(Buffer.concat([pending, data.subarray(0, from)]), 1);
        if (count !== undefined) count--;
      }
      if (from <= last) hand(from === 0 && last === data.length - 1 ? data : data.subarray(from, last + 1), count);
      pending = last === data.length - 1 ? undefined : keep(data.subarray(last + 1));
    }
    while (pending && pending.length > maxLine) {
      const cut = charBoundary(pending, maxLine);
      hand(Buffer.concat([pending.subarray(0, cut), WRAP]), 1);
      pending = pending.subarray(cut);
    }
    if (data.length < SMALL_CHUNK) collect();
  };
  return new Promise((resolve) => {
    let finished = false;
    const end = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(collecting);
      if (pending) sink.lines(Buffer.concat([pending, NEWLINE]), 1);
      pending = undefined;
      resolve();
    };
    flow = connect(source, take, end);
  });
}
