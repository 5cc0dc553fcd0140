/** How the rows are shared: header, table (title + rows), log pane (title + lines), footer. */
export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly tableRows: number;
  readonly logRows: number;
}

export function layoutFor(columns: number, rows: number, instanceCount: number): Layout {
  // One row less than the terminal: a frame as tall as the screen makes Ink clear and flicker.
  const height = Math.max(8, rows - 1);
  const fixed = 4;
  const maxTable = Math.max(3, Math.floor((height - fixed) * 0.45));
  const tableRows = Math.max(1, Math.min(instanceCount, maxTable));
  return { width: Math.max(20, columns), height, tableRows, logRows: Math.max(1, height - fixed - tableRows) };
}
