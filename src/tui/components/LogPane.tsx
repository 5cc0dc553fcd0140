import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { InstanceInfo } from '../../model/events.js';
import { textWidth } from '../cells.js';
import { appColor } from '../format.js';
import type { LogView, TuiLine } from '../log-store.js';
import { selectedLines } from '../keys.js';
import { lineRows } from '../row-text.js';
import { compileSearch } from '../search.js';
import type { UiState } from '../ui-state.js';
import { visibleRows } from '../visible.js';
import { Drawn } from './Row.js';
import type { RowOverlay } from '../row-overlay.js';

export interface LogPaneProps {
  readonly view: LogView;
  /** Label of the view: 'all apps' or an instance. */
  readonly title: string;
  readonly merged: boolean;
  readonly ui: UiState;
  readonly top: number;
  readonly instances: readonly InstanceInfo[];
  readonly apps: readonly string[];
  /** Rows for lines (the title row is extra). */
  readonly height: number;
  readonly width: number;
  /** Changes when lines arrive; the view itself is mutable. */
  readonly version: number;
  readonly overlay?: RowOverlay;
}

/** The widest name column the merged view gives (in columns, a quarter of a narrow pane); longer names are cut. */
const maxLabel = (width: number): number => Math.min(20, Math.max(8, Math.floor(width / 4)));

export function LogPane({ view, title, merged, ui, top, instances, apps, height, width, overlay }: LogPaneProps) {
  const multi = new Set(instances.filter((info) => info.index > 0).map((info) => info.app));
  const labelOf = (app: string, id: string): string => (multi.has(app) ? id : app);
  const labelWidth = merged ? Math.min(maxLabel(width), Math.max(3, ...instances.map((info) => textWidth(labelOf(info.app, info.id))))) : 0;
  const search = useMemo(() => (ui.query === undefined ? undefined : compileSearch(ui.query)), [ui.query]);
  const copy = ui.mode.kind === 'copy' ? ui.mode : undefined;
  const low = copy ? Math.min(copy.anchorSeq, copy.cursorSeq) : 0;
  const high = copy ? Math.max(copy.anchorSeq, copy.cursorSeq) : -1;
  const rowsOf = (line: TuiLine, maxRows: number): readonly string[] =>
    lineRows(
      line,
      {
        label: merged ? labelOf(line.app, line.id) : undefined,
        labelWidth,
        labelColor: appColor(apps, line.app),
        search,
        current: line.seq === ui.matchSeq,
        selected: copy !== undefined && line.seq >= low && line.seq <= high,
        width,
        wrap: ui.wrap,
        timestamps: ui.timestamps,
        json: ui.json,
      },
      maxRows,
    );
  const { rows, lastIndex } = visibleRows(view, { top, follow: ui.scroll.follow, height }, rowsOf);
  const flags = [
    ui.scroll.follow ? 'follow' : `paused${view.length > 0 ? ` ${lastIndex + 1}/${view.length}` : ''}`,
    ui.wrap ? 'wrap' : undefined,
    ui.timestamps ? 'time' : undefined,
    ui.json ? 'json' : undefined,
    search ? `/${ui.query}/${search.literal ? ' (literal)' : ''}` : undefined,
  ].filter((flag) => flag !== undefined);
  return (
    <Box flexDirection="column" width={width} height={height + 1} overflow="hidden">
      <Box width={width}>
        <Text wrap="truncate-end">
          <Text bold color={ui.focus === 'logs' ? 'cyan' : undefined}>LOGS </Text>
          <Text>{title}</Text>
          <Text dimColor> · {flags.join(' · ')}</Text>
          {copy ? <Text color="magenta"> · COPY {selectedLines(view, low, high).length} line(s)</Text> : null}
        </Text>
      </Box>
      {/* Rows are cut to the width already: clipping only vertically spares Ink slicing every line. */}
      <Box flexDirection="column" height={height} overflowY="hidden">
        {rows.length === 0 ? <Text dimColor>(no output yet)</Text> : null}
        {rows.map((row, i) => (
          // Keyed by position: under a flood every row is new each frame, and a kept node only changes its text.
          <Drawn key={i} row={row} overlay={overlay} />
        ))}
      </Box>
    </Box>
  );
}
