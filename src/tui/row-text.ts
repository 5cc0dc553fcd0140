import { cutRows, DISPLAY_CHARS, fitColumns } from './cells.js';
import type { Color } from './format.js';
import { searchText, type TuiLine } from './log-store.js';
import { prettyJson } from './json-line.js';
import { segments, type Search } from './search.js';
import { paint } from './sgr.js';

export interface RowStyle {
  readonly label: string | undefined;
  readonly labelWidth: number;
  readonly labelColor: Color;
  readonly search: Search | undefined;
  readonly current: boolean;
  readonly selected: boolean;
  readonly width: number;
  readonly wrap: boolean;
  /** A column with each line's time of arrival (key t). */
  readonly timestamps?: boolean;
  /** JSON lines shown as `LEVEL message key=value` (key J). */
  readonly json?: boolean;
}

const SEPARATOR = paint(' │ ', { dim: true });

/** HH:MM:SS and a space. */
const TIME_WIDTH = 9;

/** Columns before the text of a log row. */
export function prefixWidthOf(style: Pick<RowStyle, 'label' | 'labelWidth' | 'timestamps'>): number {
  return (style.timestamps ? TIME_WIDTH : 0) + (style.label === undefined ? 0 : style.labelWidth + 3);
}

/** The local time of day, HH:MM:SS. */
export function clockTime(ms: number): string {
  const at = new Date(ms);
  return [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/**
 * A log line as finished ANSI rows, each at most the pane's width: one row, or with wrap at most `maxRows`,
 * the following rows starting under the text. The name is cut by columns (CJK and emoji count two).
 */
export function lineRows(line: TuiLine, style: RowStyle, maxRows: number): readonly string[] {
  const prefixWidth = prefixWidthOf(style);
  const room = Math.max(1, style.width - prefixWidth);
  const time = !style.timestamps ? '' : line.time === undefined ? ' '.repeat(TIME_WIDTH) : paint(`${clockTime(line.time)} `, { dim: true });
  const label = style.label === undefined ? '' : `${paint(fitColumns(style.label, style.labelWidth), { color: style.labelColor })}${SEPARATOR}`;
  const prefix = time + label;
  const under = `${style.timestamps ? ' '.repeat(TIME_WIDTH) : ''}${style.label === undefined ? '' : `${' '.repeat(style.labelWidth)}${SEPARATOR}`}`;
  const rows = cutRows(body(line, style, room), { first: room, next: room, maxRows: style.wrap ? Math.max(1, maxRows) : 1 });
  return rows.map((row, i) => (i === 0 ? prefix : under) + row);
}

function body(line: TuiLine, style: RowStyle, room: number): string {
  // One character past the cut, so a cut line ends in …; search and copy still see the whole line.
  const plain = line.plain.length > DISPLAY_CHARS ? line.plain.slice(0, DISPLAY_CHARS + 1) : line.plain;
  if (style.selected) return paint(plain === '' ? ' ' : plain, { inverse: true });
  if (style.search) {
    // The current match is brought into view: past the pane's width unwrapped, past the display cut wrapped.
    const shown = style.current ? matchInView(searchText(line), style.search, style.wrap ? DISPLAY_CHARS : room, room) : plain;
    const parts = segments(style.search, shown);
    if (parts.some((part) => part.match)) {
      const mark = { color: 'black', background: style.current ? 'yellow' : 'cyan', bold: style.current } as const;
      return parts.map((part) => (part.match ? paint(part.text, mark) : part.text)).join('');
    }
  }
  if (line.stream === 'event') return paint(`· ${line.text}`, { dim: true });
  const shownJson = style.json ? prettyJson(line) : undefined;
  if (shownJson !== undefined) return line.stream === 'err' ? paint(shownJson, { color: 'red' }) : shownJson;
  const text = line.text.length > DISPLAY_CHARS * 2 ? line.text.slice(0, DISPLAY_CHARS * 2) : line.text;
  return line.stream === 'err' ? paint(text, { color: 'red' }) : text;
}

/**
 * The current match brought into view when it ends past `cut` characters: the text from a third of a row
 * before it, after a …, so the match is on the first row.
 */
function matchInView(plain: string, search: Search, cut: number, room: number): string {
  search.regex.lastIndex = 0;
  const found = search.regex.exec(plain);
  if (!found || found.index + found[0].length < cut - 1) return plain.slice(0, DISPLAY_CHARS + 1);
  const from = Math.max(0, found.index - Math.floor(room / 3));
  return `…${plain.slice(from + 1, from + 1 + DISPLAY_CHARS)}`;
}
