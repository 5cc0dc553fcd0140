/** Size of one staging buffer: a read of a flooding child's pipe fills a few. */
export const STAGE_BYTES = 64 * 1024;
/** Free buffers kept for reuse (2 MiB); more are left to the garbage collector. */
const POOL_MAX = 32;
const NEWLINE = 0x0a;

const pool: Buffer[] = [];

/**
 * Bytes queued for one write to a file, copied out of lent chunks into buffers that every file shares
 * and reuses: a flood then costs a memory copy per chunk, not fresh pages the kernel must fault in.
 */
export class Staging {
  private readonly buffers: Buffer[] = [];
  private used = STAGE_BYTES;
  bytes = 0;

  /** Copies `data`. */
  append(data: Buffer): void {
    for (let from = 0; from < data.length; ) {
      if (this.used === STAGE_BYTES) this.next();
      const target = this.buffers.at(-1);
      if (!target) return;
      const copied = data.copy(target, this.used, from);
      from += copied;
      this.used += copied;
      this.bytes += copied;
    }
  }

  /** Copies `data` with `prefix` in front of each line (a last piece without a newline gets one too). */
  appendPrefixed(data: Buffer, prefix: Buffer): void {
    for (let from = 0; from < data.length; ) {
      const newline = data.indexOf(NEWLINE, from);
      const end = newline === -1 ? data.length : newline + 1;
      this.append(prefix);
      this.append(data.subarray(from, end));
      from = end;
    }
  }

  /** The staged bytes, in order, as views of the shared buffers: valid until release(). */
  views(): Buffer[] {
    return this.buffers.map((buffer, i) => (i === this.buffers.length - 1 ? buffer.subarray(0, this.used) : buffer));
  }

  /** Gives the buffers back to the pool once their bytes are written. */
  release(): void {
    for (const buffer of this.buffers.splice(0)) if (pool.length < POOL_MAX) pool.push(buffer);
    this.used = STAGE_BYTES;
    this.bytes = 0;
  }

  private next(): void {
    this.buffers.push(pool.pop() ?? Buffer.allocUnsafeSlow(STAGE_BYTES));
    this.used = 0;
  }
}
