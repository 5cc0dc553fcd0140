/** What a line reader hands on: a complete line, or the news that a line went over the limit. */
export type LineEvent = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'too_large'; readonly limit: number };

const NEWLINE = 0x0a;

/** One message as a line of NDJSON. */
export function ndjsonLine(message: object): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * Splits a byte stream into lines of at most `limit` bytes. A longer line is reported once, as soon as it
 * passes the limit, and the rest of it is skipped up to its newline without being kept in memory.
 */
export class LineReader {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer, emit: (event: LineEvent) => void): void {
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      const stop = end === -1 ? chunk.length : end;
      if (this.skipping) {
        if (end !== -1) this.skipping = false;
      } else if (this.size + stop - start > this.limit) {
        this.parts = [];
        this.size = 0;
        this.skipping = end === -1;
        emit({ kind: 'too_large', limit: this.limit });
      } else if (end === -1) {
        this.parts.push(chunk.subarray(start));
        this.size += chunk.length - start;
      } else {
        const piece = chunk.subarray(start, end);
        const text = this.parts.length === 0 ? piece.toString('utf8') : Buffer.concat([...this.parts, piece]).toString('utf8');
        this.parts = [];
        this.size = 0;
        if (text.trim() !== '') emit({ kind: 'line', text });
      }
      start = stop + 1;
    }
  }

  /** Bytes of an unfinished line, if the stream ended in the middle of one. */
  get pending(): number {
    return this.size;
  }
}
