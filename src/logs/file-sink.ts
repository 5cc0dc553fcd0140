import { LogFile } from './log-file.js';
import { Staging } from './staging.js';

/** Past this many queued bytes a writer is told to pause its source; it may resume below LOW_WATER. */
export const HIGH_WATER = 1024 * 1024;
export const LOW_WATER = 256 * 1024;
/** A small batch waits this long for more lines: a flood of tiny chunks becomes a few large writes. */
const LINGER_MS = 2;
const BATCH_BYTES = 64 * 1024;
/** A direct write that took this long sends the file's writes through the queue for a while. */
const SLOW_WRITE_MS = 20;
const SLOW_BACKOFF_MS = 10_000;

export interface SinkOptions {
  readonly maxSizeBytes: number | undefined;
  readonly maxFiles: number;
  readonly onError: (error: Error, file: string) => void;
  /** A direct write that took longer sends writes through the queue for a while (default 20 ms). */
  readonly slowWriteMs?: number;
}

type ControlKind = 'truncate' | 'reopen' | 'sync' | 'close';
interface DataOp {
  readonly kind: 'data';
  readonly staging: Staging;
}
type Op = DataOp | { readonly kind: ControlKind; readonly done: () => void };

/**
 * One log file. Every operation (write, rotate, truncate, reopen, close) runs in order, so rotation
 * never loses or repeats a line. The file name never changes: rotation renames it away and reopens.
 *
 * A write goes straight to the file, from the caller's buffer, when nothing is queued and the file is
 * a regular file on a local disk, where a write lands in the page cache in microseconds: a flood then
 * costs one write(2) per chunk read and no copy. Otherwise (a rotation due, a control operation queued,
 * a network filesystem, a write that was slow) lines are copied into a queue written off the event
 * loop in one call per batch. Either way a line bound for the file is never dropped: a full disk
 * queue pauses the reader, and a slow direct write holds it.
 */
export class FileSink {
  private readonly target: LogFile;
  private readonly ops: Op[] = [];
  private queued = 0;
  private pumping = false;
  private closed = false;
  private slowUntil = 0;
  private drainWaiters: (() => void)[] = [];
  private endLinger: (() => void) | undefined;

  constructor(
    readonly file: string,
    private readonly options: SinkOptions,
  ) {
    this.target = new LogFile(file, { maxSizeBytes: options.maxSizeBytes, maxFiles: options.maxFiles, report: (error) => this.report(error) });
  }

  /**
   * Writes whole lines (`data` may be lent: it is written before the call returns, or copied into the
   * queue), with `prefix` in front of each line when given; false when the queue is over the high-water
   * mark (the caller should pause).
   */
  write(data: Buffer, prefix?: Buffer): boolean {
    if (this.closed || data.length === 0) return true;
    if (!prefix && this.writesDirectly(data.length)) {
      this.writeDirect(data);
      return true;
    }
    let last = this.ops.at(-1);
    if (last?.kind !== 'data') {
      last = { kind: 'data', staging: new Staging() };
      this.ops.push(last);
    }
    const before = last.staging.bytes;
    if (prefix) last.staging.appendPrefixed(data, prefix);
    else last.staging.append(data);
    this.queued += last.staging.bytes - before;
    if (last.staging.bytes >= BATCH_BYTES) this.endLinger?.();
    this.kick();
    return this.queued < HIGH_WATER;
  }

  /** Whether `bytes` may be written now, from the caller's buffer: nothing queued, the file takes them, and it has been quick. */
  private writesDirectly(bytes: number): boolean {
    return this.ops.length === 0 && !this.pumping && this.target.takesAtOnce(bytes) && performance.now() >= this.slowUntil;
  }

  private writeDirect(data: Buffer): void {
    const started = performance.now();
    this.target.writeNow(data);
    if (performance.now() - started > (this.options.slowWriteMs ?? SLOW_WRITE_MS)) this.slowUntil = performance.now() + SLOW_BACKOFF_MS;
  }

  get congested(): boolean {
    return this.queued >= HIGH_WATER;
  }

  /** Calls back once the queue is below the low-water mark (at once when it already is). */
  onDrain(callback: () => void): void {
    if (this.queued <= LOW_WATER) callback();
    else this.drainWaiters.push(callback);
  }

  truncate(): Promise<void> {
    return this.control('truncate');
  }

  reopen(): Promise<void> {
    return this.control('reopen');
  }

  /** Resolves when everything queued before the call is written. */
  sync(): Promise<void> {
    return this.control('sync');
  }

  close(): Promise<void> {
    const done = this.control('close');
    this.closed = true;
    return done;
  }

  private control(kind: ControlKind): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ops.push({ kind, done: resolve });
      this.kick();
    });
  }

  private kick(): void {
    if (this.pumping) return;
    this.pumping = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    for (let op = this.ops[0]; op !== undefined; op = this.ops[0]) {
      if (op.kind === 'data' && op.staging.bytes < BATCH_BYTES && this.ops.length === 1) await this.linger();
      this.ops.shift();
      try {
        if (op.kind === 'data') await this.target.write(op.staging.views(), op.staging.bytes);
        else await this.runControl(op.kind);
      } catch (error) {
        this.report(error);
      } finally {
        if (op.kind === 'data') this.dequeued(op.staging);
        else op.done();
      }
    }
    this.pumping = false;
  }

  /** Waits a moment for more lines, and no longer once a batch's worth has come: a flood must not stall on the timer. */
  private linger(): Promise<void> {
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.endLinger = undefined;
        resolve();
      };
      const timer = setTimeout(end, LINGER_MS);
      this.endLinger = end;
    });
  }

  private dequeued(staging: Staging): void {
    this.queued -= staging.bytes;
    staging.release();
    if (this.queued > LOW_WATER || this.drainWaiters.length === 0) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const waiter of waiters) waiter();
  }

  private async runControl(kind: ControlKind): Promise<void> {
    switch (kind) {
      case 'sync':
        return;
      case 'truncate':
        return this.target.truncate();
      case 'reopen':
        return this.target.reopen();
      case 'close':
        return this.target.close();
    }
  }

  private report(error: unknown): void {
    this.options.onError(error instanceof Error ? error : new Error(String(error)), this.file);
  }
}
