import type { LogView, TuiLine } from './log-store.js';

export interface VisibleRows {
  /** Finished rows, top to bottom, at most the pane's height. */
  readonly rows: readonly string[];
  /** The index of the last line shown (-1 when none). */
  readonly lastIndex: number;
}

/**
 * The rows that fit in `height`: from line `top` down, or, when following, up from the newest line (whose
 * first rows give way when it is taller than the pane). Only these lines are ever cut into rows.
 */
export function visibleRows(view: LogView, options: { readonly top: number; readonly follow: boolean; readonly height: number }, rowsOf: (line: TuiLine, maxRows: number) => readonly string[]): VisibleRows {
  const { height } = options;
  if (options.follow) {
    const blocks: (readonly string[])[] = [];
    let used = 0;
    for (let i = view.length - 1; i >= 0 && used < height; i--) {
      const line = view.at(i);
      if (!line) break;
      const rows = rowsOf(line, height);
      blocks.push(rows);
      used += rows.length;
    }
    const rows = blocks.reverse().flat();
    return { rows: rows.slice(Math.max(0, rows.length - height)), lastIndex: view.length - 1 };
  }
  const rows: string[] = [];
  let lastIndex = -1;
  for (let i = Math.max(0, options.top); i < view.length && rows.length < height; i++) {
    const line = view.at(i);
    if (!line) break;
    rows.push(...rowsOf(line, height - rows.length));
    lastIndex = i;
  }
  return { rows, lastIndex };
}
