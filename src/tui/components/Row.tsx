import { Text, Transform } from 'ink';
import { memo } from 'react';
import type { RowOverlay } from '../row-overlay.js';
import { cut, simpleWidth } from '../sgr.js';

/** What Ink measures in place of a finished row: constant, so Ink's measuring caches one entry for all rows. */
const PLACEHOLDER = ' ';

/**
 * A finished ANSI row, already cut to its width. Ink caches every text it measures or truncates, forever:
 * rows whose text changes (log lines, uptimes, CPU figures) reach Ink only through a <Transform> around a
 * constant placeholder, and with an overlay Ink draws a short placeholder the terminal writer swaps back.
 */
export const Drawn = memo(function Drawn({ row, overlay }: { readonly row: string; readonly overlay: RowOverlay | undefined }) {
  const drawn = overlay ? overlay.placeholder(row) : row;
  return <Transform transform={() => drawn}>{PLACEHOLDER}</Transform>;
});

/** One screen row of ANSI text, cut to `width`; text with characters of unknown width goes through Ink's <Text>. */
export const Row = memo(function Row({ text, width, overlay }: { readonly text: string; readonly width: number; readonly overlay: RowOverlay | undefined }) {
  const visible = simpleWidth(text);
  if (visible === undefined) return <Text wrap="truncate-end">{text}</Text>;
  return <Drawn row={cut(text, visible, width)} overlay={overlay} />;
});
