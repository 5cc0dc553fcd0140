import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { InstanceInfo } from '../../model/events.js';
import { appColor } from '../format.js';
import type { LogView } from '../log-store.js';
import { selectedLines } from '../keys.js';
import { compileSearch } from '../search.js';
import type { UiState } from '../ui-state.js';
import { visibleSlice } from '../visible.js';
import { LogLineView } from './LogLineView.js';
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

export function LogPane({ view, title, merged, ui, top, instances, apps, height, width, overlay }: LogPaneProps) {
  const multi = new Set(apps.filter((app) => instances.filter((info) => info.app === app).length > 1));
  const labelOf = (app: string, id: string): string => (multi.has(app) ? id : app);
  const labelWidth = merged ? Math.min(20, Math.max(3, ...instances.map((info) => labelOf(info.app, info.id).length))) : 0;
  const prefixWidth = merged ? labelWidth + 3 : 0;
  const lines = visibleSlice(view, { top, follow: ui.scroll.follow, height, width, prefixWidth, wrap: ui.wrap });
  const search = useMemo(() => (ui.query === undefined ? undefined : compileSearch(ui.query)), [ui.query]);
  const copy = ui.mode.kind === 'copy' ? ui.mode : undefined;
  const low = copy ? Math.min(copy.anchorSeq, copy.cursorSeq) : 0;
  const high = copy ? Math.max(copy.anchorSeq, copy.cursorSeq) : -1;
  const flags = [
    ui.scroll.follow ? 'follow' : `paused${view.length > 0 ? ` ${Math.min(view.length, top + lines.length)}/${view.length}` : ''}`,
    ui.wrap ? 'wrap' : undefined,
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
        {lines.length === 0 ? <Text dimColor>(no output yet)</Text> : null}
        {lines.map((line, row) => (
          <LogLineView
            // Keyed by row, not by line: under a flood every line is new each frame, and a kept row only
            // changes its text instead of mounting a new node (and its layout node).
            key={row}
            line={line}
            label={merged ? labelOf(line.app, line.id) : undefined}
            labelWidth={labelWidth}
            labelColor={appColor(apps, line.app)}
            wrap={ui.wrap}
            search={search}
            current={line.seq === ui.matchSeq}
            selected={copy !== undefined && line.seq >= low && line.seq <= high}
            width={width}
            overlay={overlay}
          />
        ))}
      </Box>
    </Box>
  );
}
