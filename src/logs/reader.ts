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
 * valid only during the call, so a flood allocates nothing per read.
 */
export interface LentChunks {
  readonly kind: 'lent';
  /** The stream underneath, for pause, resume and its end. */
  readonly stream: NodeJS.ReadableStream;
  /** Sets the one taker of the chunks. */
  lend(take: (chunk: Buffer) => void): void;
}

/** A child's stdout or stderr: an ordinary stream, or lent chunks. */
export type LogSource = NodeJS.ReadableStream | LentChunks;

const isLent = (source: LogSource): source is LentChunks => 'kind' in source && source.kind === 'lent';

export interface ReaderSink {
  /** Takes whole lines (each ends in `\n`), lent: valid only during the call. False asks the reader to pause. */
  readonly lines: (data: Buffer) => boolean;
  /** Calls `resume` once the files can take more. */
  readonly whenWritable: (resume: () => void) => void;
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
  const stream = lent ? source.stream : source;
  // What outlives the call (a partial line) is copied out of a lent chunk.
  const keep = (data: Buffer): Buffer => (lent ? Buffer.from(data) : data);
  let pending: Buffer | undefined;
  let blocked = false;
  let collecting: NodeJS.Timeout | undefined;
  const resumeUnlessHeld = (): void => {
    if (!blocked && collecting === undefined) stream.resume();
  };
  const hand = (data: Buffer): void => {
    if (sink.lines(data) || blocked) return;
    blocked = true;
    stream.pause();
    sink.whenWritable(() => {
      blocked = false;
      resumeUnlessHeld();
    });
  };
  const collect = (): void => {
    if (collecting !== undefined || blocked) return;
    stream.pause();
    collecting = setTimeout(() => {
      collecting = undefined;
      // A stream that kept reading while paused hands over what it buffered as one chunk.
      if (!blocked && !lent) stream.read();
      resumeUnlessHeld();
    }, COLLECT_MS);
  };
  const onData = (chunk: Buffer | string): void => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const last = data.lastIndexOf(0x0a);
    if (last === -1) {
      pending = pending ? Buffer.concat([pending, data]) : keep(data);
    } else {
      let from = 0;
      if (pending) {
        // Only the line that straddles two chunks is copied; the rest of the chunk is handed on as it is.
        from = data.indexOf(0x0a) + 1;
        hand(Buffer.concat([pending, data.subarray(0, from)]));
      }
      if (from <= last) hand(from === 0 && last === data.length - 1 ? data : data.subarray(from, last + 1));
      pending = last === data.length - 1 ? undefined : keep(data.subarray(last + 1));
    }
    while (pending && pending.length > maxLine) {
      const cut = charBoundary(pending, maxLine);
      hand(Buffer.concat([pending.subarray(0, cut), WRAP]));
      pending = pending.subarray(cut);
    }
    if (data.length < SMALL_CHUNK) collect();
  };
  return new Promise((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(collecting);
      if (lent) source.lend(() => undefined);
      else stream.removeListener('data', onData);
      if (pending) sink.lines(Buffer.concat([pending, NEWLINE]));
      pending = undefined;
      resolve();
    };
    if (lent) source.lend(onData);
    else stream.on('data', onData);
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
}
