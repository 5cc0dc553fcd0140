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

/** Puts `prefix` in front of each of the `lines` whole lines of `data`: one allocation for the whole batch. */
export function prefixLines(data: Buffer, lines: number, prefix: Buffer): Buffer {
  // One spare prefix covers a last piece without a newline.
  const out = Buffer.allocUnsafe(data.length + (lines + 1) * prefix.length);
  let from = 0;
  let at = 0;
  while (from < data.length) {
    const newline = data.indexOf(NEWLINE, from);
    const end = newline === -1 ? data.length : newline + 1;
    out.set(prefix, at);
    at += prefix.length;
    out.set(data.subarray(from, end), at);
    at += end - from;
    from = end;
  }
  return out.subarray(0, at);
}

/** The largest cut point at or below `at` that does not split a UTF-8 sequence. */
export function charBoundary(data: Buffer, at: number): number {
  let cut = at;
  while (cut > 0 && ((data[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return cut === 0 ? at : cut;
}
