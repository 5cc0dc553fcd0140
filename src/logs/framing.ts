import { StringDecoder } from 'node:string_decoder';

export const DEFAULT_MAX_LINE = 64 * 1024;
export const CUT_MARKER = ' [… line cut]';

/**
 * Splits a byte stream into lines: UTF-8 split across chunks, CRLF, `\r` progress updates (the last state
 * of the line wins), a maximum line length (memory stays bounded), and the unterminated tail on flush.
 */
export class LineFramer {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private cut = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLine = DEFAULT_MAX_LINE,
  ) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) break;
      this.append(text.slice(start, newline));
      this.emit();
      start = newline + 1;
    }
    this.append(text.slice(start));
  }

  /** Emits the unterminated last line, if any. */
  flush(): void {
    this.append(this.decoder.end());
    if (this.pending !== '' || this.cut) this.emit();
  }

  private append(piece: string): void {
    if (piece === '') return;
    if (this.cut) return;
    this.pending += piece;
    if (this.pending.length > this.maxLine + 1) {
      this.pending = this.pending.slice(0, this.maxLine);
      this.cut = true;
    }
  }

  private emit(): void {
    let line = this.pending;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const carriage = line.lastIndexOf('\r');
    if (carriage !== -1) line = line.slice(carriage + 1);
    this.onLine(this.cut ? line + CUT_MARKER : line);
    this.pending = '';
    this.cut = false;
  }
}

/** What a viewer shows for one raw line (no `\n`): CRLF and `\r` progress keep the last state; long lines are cut. */
export function viewLine(raw: string, maxLine = DEFAULT_MAX_LINE): string {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const carriage = line.lastIndexOf('\r');
  if (carriage !== -1) line = line.slice(carriage + 1);
  return line.length > maxLine ? line.slice(0, maxLine) + CUT_MARKER : line;
}

/** Splits bytes made of whole lines (each ending in `\n`) into viewer lines; invalid UTF-8 becomes U+FFFD. */
export function viewLines(data: Buffer, maxLine = DEFAULT_MAX_LINE): string[] {
  const lines = data.toString('utf8').split('\n');
  lines.pop();
  for (let i = 0; i < lines.length; i++) lines[i] = viewLine(lines[i] ?? '', maxLine);
  return lines;
}
