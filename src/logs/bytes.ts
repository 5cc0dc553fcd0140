import stripAnsi from 'strip-ansi';

const NEWLINE = 0x0a;
const ESC = 0x1b;

export function countLines(data: Buffer): number {
  let count = 0;
  let at = data.indexOf(NEWLINE);
  while (at !== -1) {
    count++;
    at = data.indexOf(NEWLINE, at + 1);
  }
  return count;
}

/** Removes ANSI escapes. Bytes without ESC (nearly all output) are returned as they are, without a copy. */
export function stripAnsiBytes(data: Buffer): Buffer {
  if (data.indexOf(ESC) === -1) return data;
  return Buffer.from(stripAnsi(data.toString('utf8')));
}

/** The largest cut point at or below `at` that does not split a UTF-8 sequence. */
export function charBoundary(data: Buffer, at: number): number {
  let cut = at;
  while (cut > 0 && ((data[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return cut === 0 ? at : cut;
}
