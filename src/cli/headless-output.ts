import fs from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * Where `up` prints when there is no TUI. Never written synchronously: a file gets its own asynchronous
 * write stream on fd 1 (Node's process.stdout writes files synchronously, which would stall the supervisor
 * on a slow disk); pipes, sockets and terminals keep process.stdout, whose writes queue when full.
 */
export function headlessStdout(): NodeJS.WritableStream {
  let isFile = false;
  try {
    isFile = fs.fstatSync(1).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) return process.stdout;
  const stream = fs.createWriteStream('/dev/stdout', { fd: 1, autoClose: false, highWaterMark: 1024 * 1024 });
  let told = false;
  // A full disk or a revoked file ends the printing, never the supervisor; the log files are separate.
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (told) return;
    told = true;
    process.stderr.write(`node-unit | stdout: ${error.code ?? error.message}; no longer printing here (lines still go to the log files)\n`);
  });
  return stream;
}

/** Bytes written but not yet taken by the reader. */
export function backlogOf(out: NodeJS.WritableStream): number {
  return 'writableLength' in out ? (out as Writable).writableLength : 0;
}

/**
 * Settles once the reader took everything written (or after timeoutMs: a reader that stopped reading must
 * not hold the exit). An empty write's callback runs once everything queued before it was handed on; a
 * 'drain' event alone would never come when the last write stayed under the high-water mark.
 */
export function drained(out: NodeJS.WritableStream, timeoutMs: number): Promise<void> {
  if (backlogOf(out) === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done(): void {
      clearTimeout(timer);
      out.off('error', done);
      resolve();
    }
    out.once('error', done);
    out.write('', () => done());
  });
}

/**
 * What `up` prints, gathered and written in few large writes: at the end of the turn, or, while a write is
 * still on its way, once it has gone. `backlog` counts what waits here and in the stream.
 */
export class BatchedOutput {
  #chunks: Buffer[] = [];
  #bytes = 0;
  #scheduled = false;
  #writing = false;

  constructor(private readonly out: NodeJS.WritableStream) {}

  get backlog(): number {
    return backlogOf(this.out) + this.#bytes;
  }

  /** Queues bytes this output may keep (not lent). */
  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    this.#schedule();
  }

  /** Writes what waits now and settles once the reader took it (or after timeoutMs). */
  end(timeoutMs: number): Promise<void> {
    this.#flush();
    return drained(this.out, timeoutMs);
  }

  #schedule(): void {
    if (this.#scheduled || this.#writing || this.#bytes === 0) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#bytes === 0) return;
    const chunk = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks, this.#bytes);
    this.#chunks = [];
    this.#bytes = 0;
    this.#writing = true;
    this.out.write(chunk, () => {
      this.#writing = false;
      this.#schedule();
    });
  }
}

const NEWLINE = 0x0a;

/** `data` (whole lines, lent) with `prefix` before each line, as one buffer this caller owns. */
export function prefixLines(data: Buffer, prefix: Buffer, lines: number): Buffer {
  const out = Buffer.allocUnsafe(data.length + lines * prefix.length);
  let at = 0;
  for (let from = 0; from < data.length; ) {
    const newline = data.indexOf(NEWLINE, from);
    const end = newline === -1 ? data.length : newline + 1;
    at += prefix.copy(out, at);
    at += data.copy(out, at, from, end);
    from = end;
  }
  return at === out.length ? out : out.subarray(0, at);
}
