import { Transform } from 'ink';
import { cutRows } from '../cells.js';
import { memo } from 'react';
import type { LiveRow as LiveText, RowOverlay } from '../row-overlay.js';
import { cut, simpleWidth } from '../sgr.js';

/** What Ink measures in place of a finished row: constant, so Ink's measuring caches one entry for all rows. */
const PLACEHOLDER = ' ';

/**
 * A finished ANSI row, already cut to its width. Ink caches every text it measures or truncates, forever:
 * rows whose text changes (log lines, uptimes, CPU figures) reach Ink only through a <Transform> around a
 * constant placeholder, and with an overlay Ink draws a short placeholder the terminal writer swaps back.
 */
export const Drawn = memo(function Drawn({ row, overlay }: { readonly row: string | LiveText; readonly overlay: RowOverlay | undefined }) {
  const drawn = overlay ? overlay.placeholder(row) : typeof row === 'string' ? row : row(Date.now());
  return <Transform transform={() => drawn}>{PLACEHOLDER}</Transform>;
});

/** One screen row of ANSI text, cut to `width` columns (wide characters count two). */
export const Row = memo(function Row({ text, width, overlay }: { readonly text: string; readonly width: number; readonly overlay: RowOverlay | undefined }) {
  return <Drawn row={cutRow(text, width)} overlay={overlay} />;
});

/**
 * A row drawn from the clock (uptimes, countdowns): with an overlay it is drawn when the terminal writer
 * swaps it in, so a tick redraws it in place without a React render or an Ink frame. Without one it is
 * drawn at `now`.
 */
export function LiveRow({ text, now, width, overlay }: { readonly text: (now: number) => string; readonly now: number; readonly width: number; readonly overlay: RowOverlay | undefined }) {
  return <Drawn row={overlay ? (at: number) => cutRow(text(at), width) : cutRow(text(now), width)} overlay={overlay} />;
}

function cutRow(text: string, width: number): string {
  const visible = simpleWidth(text);
  return visible === undefined ? (cutRows(text, { first: width, next: width, maxRows: 1 })[0] ?? '') : cut(text, visible, width);
}
