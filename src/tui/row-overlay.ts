/**
 * Finished log rows that the terminal writer puts in place of short placeholders. Ink lays out and draws
 * every character it is given, every frame, through a per-character grid: for the log pane, most of the
 * screen, that was most of the TUI's cost under a flood. Ink draws a placeholder per row; the writer swaps
 * in the row. Rows are cut to the pane's width in terminal columns (cells.ts), so Ink's layout stays right.
 *
 * A live row is drawn from the clock when it is swapped in: a tick that changes only uptimes and countdowns
 * redraws those rows in place (FrameDiffer.redraw) without a React render or an Ink frame.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDERS = /\uE000(\d+)\uE001/g;

/** A row drawn at the time it is shown. */
export type LiveRow = (now: number) => string;

export class RowOverlay {
  private readonly rows = new Map<number, string | LiveRow>();
  private next = 0;

  /** `capacity` bounds memory: far more rows than a frame holds, so a row is never dropped while shown. */
  constructor(private readonly capacity = 4096) {}

  placeholder(row: string | LiveRow): string {
    const id = this.next++;
    this.rows.set(id, row);
    if (this.rows.size > this.capacity) {
      const oldest = this.rows.keys().next();
      if (!oldest.done) this.rows.delete(oldest.value);
    }
    return `${OPEN}${id}${CLOSE}`;
  }

  /** The text with every placeholder replaced by its row; a row still shown is kept as recently used. */
  resolve(text: string, now: number = Date.now()): string {
    if (!text.includes(OPEN)) return text;
    return text.replace(PLACEHOLDERS, (_placeholder, digits: string) => {
      const id = Number(digits);
      const row = this.rows.get(id);
      if (row === undefined) return '';
      this.rows.delete(id);
      this.rows.set(id, row);
      return typeof row === 'string' ? row : row(now);
    });
  }
}
