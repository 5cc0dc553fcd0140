import type { Color } from './format.js';
import type { TuiLine } from './log-store.js';
import { segments, type Search } from './search.js';
import { cut, paint, simpleWidth } from './sgr.js';

export interface RowStyle {
  readonly label: string | undefined;
  readonly labelWidth: number;
  readonly labelColor: Color;
  readonly search: Search | undefined;
  readonly current: boolean;
  readonly selected: boolean;
  readonly width: number;
}

const SEPARATOR = paint(' │ ', { dim: true });

/**
 * A log row as one finished ANSI string, cut to the pane's width; undefined when the line has characters
 * whose width only Ink's measuring knows (it then goes through Ink's own <Text>).
 */
export function rowText(line: TuiLine, style: RowStyle): string | undefined {
  if (simpleWidth(line.plain) === undefined || (style.label !== undefined && simpleWidth(style.label) === undefined)) return undefined;
  const prefixWidth = style.label === undefined ? 0 : style.labelWidth + 3;
  const room = style.width - prefixWidth;
  if (room <= 0) return undefined;
  const prefix = style.label === undefined ? '' : `${paint(style.label.padEnd(style.labelWidth).slice(0, style.labelWidth), { color: style.labelColor })}${SEPARATOR}`;
  return prefix + cut(body(line, style), line.plain.length, room);
}

function body(line: TuiLine, style: RowStyle): string {
  if (style.selected) return paint(line.plain === '' ? ' ' : line.plain, { inverse: true });
  if (style.search) {
    const parts = segments(style.search, line.plain);
    if (parts.some((part) => part.match)) {
      const mark = { color: 'black', background: style.current ? 'yellow' : 'cyan', bold: style.current } as const;
      return parts.map((part) => (part.match ? paint(part.text, mark) : part.text)).join('');
    }
  }
  return line.stream === 'err' ? paint(line.text, { color: 'red' }) : line.text;
}
