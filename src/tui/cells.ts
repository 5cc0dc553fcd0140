import { RESET } from './sgr.js';

/**
 * Terminal columns of text, and cutting ANSI text into rows by columns. Linear in what is drawn and never
 * more: a line longer than DISPLAY_CHARS is cut for display (its whole text stays in the file, in copy and
 * in search), so a 200 KB line costs what an 8 KB one does.
 */
export const DISPLAY_CHARS = 8192;

// Wide (two columns): East Asian wide and fullwidth forms, and emoji.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f5], [0x26fa, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728], [0x274c, 0x274c],
  [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797], [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f],
  [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff], [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];
// Zero columns: combining marks, zero-width joiners and spaces, variation selectors.
const ZERO: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f], [0x0483, 0x0489], [0x0591, 0x05bd], [0x0610, 0x061a], [0x064b, 0x065f], [0x0e31, 0x0e31],
  [0x0e34, 0x0e3a], [0x0e47, 0x0e4e], [0x1ab0, 0x1aff], [0x1dc0, 0x1dff], [0x200b, 0x200f], [0x2028, 0x202e],
  [0x2060, 0x2064], [0x20d0, 0x20ff], [0xfe00, 0xfe0f], [0xfe20, 0xfe2f], [0xfeff, 0xfeff], [0x1f3fb, 0x1f3ff],
  [0xe0000, 0xe0fff],
];

function inRanges(code: number, ranges: readonly (readonly [number, number])[]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const range = ranges[mid];
    if (!range) return false;
    if (code < range[0]) hi = mid - 1;
    else if (code > range[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Columns one code point takes in a terminal. */
export function charWidth(code: number): number {
  if (code < 0x300) return code < 0x20 || (code >= 0x7f && code < 0xa0) ? 0 : 1;
  if (inRanges(code, ZERO)) return 0;
  return inRanges(code, WIDE) ? 2 : 1;
}

// eslint-disable-next-line no-control-regex
const SGR_HERE = /\x1b\[[0-9;]*m/y;
// eslint-disable-next-line no-control-regex
const SGR_ANY = /\x1b\[[0-9;]*m/g;

/** Columns of text without its SGR codes, counting at most `limit` characters. */
export function textWidth(ansi: string, limit = DISPLAY_CHARS): number {
  const plain = ansi.includes('\x1b') ? ansi.replace(SGR_ANY, '') : ansi;
  let width = 0;
  let count = 0;
  for (const char of plain) {
    if (++count > limit) break;
    width += charWidth(char.codePointAt(0) ?? 0);
  }
  return width;
}

export interface RowCut {
  /** Columns each row holds: the first, then every following one. */
  readonly first: number;
  readonly next: number;
  /** At most this many rows; the last row ends in … when text is left. */
  readonly maxRows: number;
  /** Columns of text skipped before the first row (shown as a leading …). */
  readonly skip?: number;
}

/**
 * ANSI text cut into rows of at most the given columns, SGR state carried from row to row; each row ends
 * reset. Looks at no more than DISPLAY_CHARS characters: a longer line ends in … on its last row.
 */
export function cutRows(ansi: string, cut: RowCut): readonly string[] {
  const rows: string[] = [];
  let active = '';
  let skip = cut.skip ?? 0;
  let room = cut.first;
  let row = skip > 0 ? '…' : '';
  let used = skip > 0 ? 1 : 0;
  // Where the row stood before its last character: an ending … may need that character's columns.
  let before = { length: row.length, used };
  let chars = 0;
  let i = 0;
  const close = (text: string): string => (text.includes('\x1b') ? `${text}${RESET}` : text);
  const ellipsis = (): readonly string[] => {
    const text = used + 1 > room ? row.slice(0, before.length) : row;
    rows.push(`${close(text)}…`);
    return rows;
  };
  while (i < ansi.length) {
    if (ansi.charCodeAt(i) === 0x1b) {
      SGR_HERE.lastIndex = i;
      const escape = SGR_HERE.exec(ansi);
      if (escape) {
        active = escape[0] === RESET || escape[0] === '\x1b[m' ? '' : active + escape[0];
        row += escape[0];
        i += escape[0].length;
        continue;
      }
    }
    const code = ansi.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(code);
    i += char.length;
    if (++chars > DISPLAY_CHARS) return ellipsis();
    const width = charWidth(code);
    if (skip > 0) {
      skip -= width;
      continue;
    }
    if (used + width > room) {
      if (rows.length + 1 >= cut.maxRows) return ellipsis();
      rows.push(close(row));
      row = active;
      used = 0;
      room = cut.next;
    }
    before = { length: row.length, used };
    row += char;
    used += width;
  }
  if (used > 0 || rows.length === 0) rows.push(close(row));
  return rows;
}

/** Text cut to one row of `room` columns, or padded to it (on the left for `right`). */
export function fitColumns(text: string, room: number, align: 'left' | 'right' = 'left'): string {
  const [row = ''] = cutRows(text, { first: room, next: room, maxRows: 1 });
  const pad = room - textWidth(row);
  if (pad <= 0) return row;
  return align === 'left' ? row + ' '.repeat(pad) : ' '.repeat(pad) + row;
}
