import type { Color } from './format.js';

/** Rows as finished ANSI strings (see RowOverlay for why): colours, and cutting to a width. */
export type Ansi16 = Color | 'black';

export interface Paint {
  readonly color?: Ansi16 | undefined;
  readonly background?: Ansi16 | undefined;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

export const RESET = '\x1b[0m';
const FG: Readonly<Record<Ansi16, number>> = { black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90 };
const BG: Readonly<Record<Ansi16, number>> = { black: 40, red: 41, green: 42, yellow: 43, blue: 44, magenta: 45, cyan: 46, white: 47, gray: 100 };

export function paint(text: string, style: Paint): string {
  const codes: number[] = [];
  if (style.bold) codes.push(1);
  if (style.dim) codes.push(2);
  if (style.inverse) codes.push(7);
  if (style.color) codes.push(FG[style.color]);
  if (style.background) codes.push(BG[style.background]);
  return codes.length === 0 || text === '' ? text : `\x1b[${codes.join(';')}m${text}${RESET}`;
}

// Printable ASCII and the few other characters the TUI itself draws (│›↺…—·↑↓⏎), each one column wide
// everywhere. Escaped: one non-ASCII character in the bundle makes V8 keep its whole source as UTF-16 (2×).
const ONE_COLUMN = /^[\x20-\x7e\u2502\u203a\u21ba\u2026\u2014\u00b7\u2191\u2193\u23ce]*$/;
// eslint-disable-next-line no-control-regex
const SGR_ANYWHERE = /\x1b\[[0-9;]*m/g;
const SGR_HERE = /\x1b\[[0-9;]*m/y;

/** Columns the text takes when each of its characters is known to take one; undefined otherwise. */
export function simpleWidth(ansi: string): number | undefined {
  const plain = ansi.includes('\x1b') ? ansi.replace(SGR_ANYWHERE, '') : ansi;
  return ONE_COLUMN.test(plain) ? plain.length : undefined;
}

/** Cuts text of `visible` columns (one per character) to `room` columns, ending with … as Ink's truncate-end does. */
export function cut(ansi: string, visible: number, room: number): string {
  if (visible <= room) return ansi;
  if (room <= 0) return '';
  const keep = room - 1;
  let out = '';
  let shown = 0;
  let i = 0;
  while (i < ansi.length && shown < keep) {
    SGR_HERE.lastIndex = i;
    const escape = ansi.charCodeAt(i) === 0x1b ? SGR_HERE.exec(ansi) : null;
    if (escape) {
      out += escape[0];
      i += escape[0].length;
      continue;
    }
    out += ansi[i];
    shown++;
    i++;
  }
  return `${out}${RESET}…`;
}
