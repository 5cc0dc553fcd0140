import fs from 'node:fs';
import { Writable } from 'node:stream';
import { Staging } from '../logs/staging.js';

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
 * still on its way, once it has gone. Bytes are copied into the staging buffers the log files reuse, so a
 * flood allocates nothing. `backlog` counts what waits here and in the stream.
 */
export class BatchedOutput {
  #staged = new Staging();
  #scheduled = false;
  #writing = false;

  constructor(private readonly out: NodeJS.WritableStream) {}

  get backlog(): number {
    return backlogOf(this.out) + this.#staged.bytes;
  }

  /** Copies `data` (it may be lent), with `prefix` before each line when given. */
  push(data: Buffer, prefix?: Buffer): void {
    if (prefix) this.#staged.appendPrefixed(data, prefix);
    else this.#staged.append(data);
    this.#schedule();
  }

  /** Writes what waits now and settles once the reader took it (or after timeoutMs). */
  end(timeoutMs: number): Promise<void> {
    this.#flush();
    return drained(this.out, timeoutMs);
  }

  #schedule(): void {
    if (this.#scheduled || this.#writing || this.#staged.bytes === 0) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#staged.bytes === 0) return;
    const staged = this.#staged;
    this.#staged = new Staging();
    this.#writing = true;
    const views = staged.views();
    const last = views.length - 1;
    const out = this.out;
    const corks = out instanceof Writable;
    if (corks) out.cork();
    views.forEach((view, i) => {
      if (i < last) this.out.write(view);
      // The last write's callback runs once every view before it was written too.
      else
        this.out.write(view, () => {
          staged.release();
          this.#writing = false;
          this.#schedule();
        });
    });
    if (corks) out.uncork();
  }
}
