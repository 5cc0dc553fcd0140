/**
 * Ink turns every row of every frame into a string through @alcalzone/ansi-tokenize's styledCharsToString,
 * which builds three Sets and three arrays per cell to diff its styles against the previous cell's: ~5 MiB
 * of garbage a frame at 120×40, most of the TUI's allocation while idle. The build (scripts/bundle-tui.mjs)
 * routes that function here: the same string, but the diff runs only where the styles change.
 */

export interface StyleCode {
  readonly code: string;
  readonly endCode: string;
}

export interface StyledCell<C extends StyleCode> {
  readonly value: string;
  readonly styles: C[];
}

/** Same codes in the same order: the diff between them is empty. */
function sameStyles(a: readonly StyleCode[], b: readonly StyleCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]?.code !== b[i]?.code) return false;
  return true;
}

/** The row as a string: each cell's value, preceded by the codes that take the style from the previous cell's to its own. */
export function styledLine<C extends StyleCode>(cells: readonly StyledCell<C>[], diff: (from: C[], to: C[]) => C[], codesToString: (codes: C[]) => string): string {
  const none: C[] = [];
  let out = '';
  let previous = none;
  for (const cell of cells) {
    if (!sameStyles(previous, cell.styles)) out += codesToString(diff(previous, cell.styles));
    out += cell.value;
    previous = cell.styles;
  }
  if (previous.length > 0) out += codesToString(diff(previous, none));
  return out;
}
