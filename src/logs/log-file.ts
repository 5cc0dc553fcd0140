import { writeSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { onLocalDisk } from './local-disk.js';
import { firstLineEnd, fitLines, shiftRotated } from './rotation.js';

export interface LogFileOptions {
  readonly maxSizeBytes: number | undefined;
  readonly maxFiles: number;
  readonly report: (error: unknown) => void;
}

/**
 * The open file under a FileSink: its handle, its size and rotation. A file that cannot be opened is
 * reported once, and lines for it are dropped until reopen() (SIGUSR2) tries again.
 */
export class LogFile {
  private handle: fs.FileHandle | undefined;
  private unopenable = false;
  /** A regular file on a local disk: writes there may run on the event loop (see FileSink). */
  private local = false;
  size = 0;

  constructor(
    readonly file: string,
    private readonly options: LogFileOptions,
  ) {}

  /** Whether `bytes` can be written now, on the event loop: open, local, and no rotation due. */
  takesAtOnce(bytes: number): boolean {
    const max = this.options.maxSizeBytes;
    return this.local && this.handle !== undefined && (max === undefined || this.size + bytes < max);
  }

  /** Writes `data` before returning (see takesAtOnce). */
  writeNow(data: Buffer): void {
    const handle = this.handle;
    if (!handle) return;
    try {
      for (let at = 0; at < data.length; ) {
        const written = writeSync(handle.fd, data, at, data.length - at);
        at += written;
        this.size += written;
      }
    } catch (error) {
      this.options.report(error);
    }
  }

  /** Writes a batch of whole lines, rotating before a line that would pass log_max_size. */
  async write(chunks: readonly Buffer[], bytes: number): Promise<void> {
    await this.open();
    if (!this.handle) return;
    const max = this.options.maxSizeBytes;
    if (max === undefined) return this.writeBatch(chunks, bytes);
    const data = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, bytes);
    let from = 0;
    while (from < data.length && this.handle) {
      let end = fitLines(data, from, max - this.size);
      if (end === -1 && this.size > 0) {
        await this.rotate();
        continue;
      }
      if (end === -1) end = firstLineEnd(data, from);
      await this.writeAll(data, from, end);
      from = end;
    }
    if (this.size >= max) await this.rotate();
  }

  async truncate(): Promise<void> {
    await this.open();
    await this.handle?.truncate(0);
    this.size = 0;
  }

  async reopen(): Promise<void> {
    await this.close();
    this.unopenable = false;
    await this.open();
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  /** Without rotation a batch goes out in one writev. */
  private async writeBatch(chunks: readonly Buffer[], bytes: number): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    const { bytesWritten } = await handle.writev(chunks);
    this.size += bytesWritten;
    if (bytesWritten < bytes) {
      const rest = Buffer.concat(chunks, bytes).subarray(bytesWritten);
      await this.writeAll(rest, 0, rest.length);
    }
  }

  private async writeAll(data: Buffer, from: number, end: number): Promise<void> {
    for (let at = from; at < end; ) {
      const handle = this.handle;
      if (!handle) return;
      const { bytesWritten } = await handle.write(data, at, end - at);
      at += bytesWritten;
      this.size += bytesWritten;
    }
  }

  private async rotate(): Promise<void> {
    if (this.options.maxFiles < 1) {
      await this.handle?.truncate(0);
      this.size = 0;
      return;
    }
    await this.close();
    await shiftRotated(this.file, this.options.maxFiles);
    await this.open();
  }

  private async open(): Promise<void> {
    if (this.handle || this.unopenable) return;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const handle = await fs.open(this.file, 'a');
      const [stat, local] = await Promise.all([handle.stat(), onLocalDisk(this.file)]);
      this.size = stat.size;
      this.local = stat.isFile() && local;
      this.handle = handle;
    } catch (error) {
      this.unopenable = true;
      this.options.report(error);
    }
  }
}
