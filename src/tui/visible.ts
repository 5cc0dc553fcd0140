import type { LogView, TuiLine } from './log-store.js';

/** Rows a line takes when wrapped at `width` (one when not wrapping). */
export function rowsOf(line: TuiLine, prefixWidth: number, width: number, wrap: boolean): number {
  if (!wrap || width <= 0) return 1;
  return Math.max(1, Math.ceil((prefixWidth + line.plain.length) / width));
}

/**
 * The slice of the view that fits in `height` rows: from `top` down, or, when following, up from the newest
 * line. Only these lines are ever rendered.
 */
export function visibleSlice(view: LogView, options: { readonly top: number; readonly follow: boolean; readonly height: number; readonly width: number; readonly prefixWidth: number; readonly wrap: boolean }): readonly TuiLine[] {
  const { height, width, prefixWidth, wrap } = options;
  const out: TuiLine[] = [];
  let used = 0;
  if (options.follow) {
    for (let i = view.length - 1; i >= 0 && used < height; i--) {
      const line = view.at(i);
      if (!line) break;
      used += rowsOf(line, prefixWidth, width, wrap);
      if (used > height && out.length > 0) break;
      out.push(line);
    }
    return out.reverse();
  }
  for (let i = Math.max(0, options.top); i < view.length && used < height; i++) {
    const line = view.at(i);
    if (!line) break;
    used += rowsOf(line, prefixWidth, width, wrap);
    out.push(line);
  }
  return out;
}
