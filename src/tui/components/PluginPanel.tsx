import { Box, Text } from 'ink';
import type { PanelResult, PluginPanelView } from '../../model/plugin.js';
import { cutRows } from '../cells.js';
import type { RowOverlay } from '../row-overlay.js';
import { paint } from '../sgr.js';
import { Drawn } from './Row.js';

export interface PluginPanelProps {
  readonly panel: PluginPanelView;
  readonly result: PanelResult | undefined;
  readonly width: number;
  /** Rows below the title. */
  readonly height: number;
  readonly overlay?: RowOverlay | undefined;
}

/** The rows a panel shows: its lines cut to the width, or what went wrong in the plugin. */
export function panelRows(result: PanelResult | undefined, width: number): readonly string[] {
  if (!result) return [paint('…', { dim: true })];
  if (!result.ok) return [paint(`! ${result.message}`, { color: 'red' })];
  return result.lines.map((line) => cutRows(line, { first: width, next: width, maxRows: 1 })[0] ?? '');
}

/** A plugin's panel in place of the log pane: its key (or esc) closes it. */
export function PluginPanel({ panel, result, width, height, overlay }: PluginPanelProps) {
  const rows = panelRows(result, width);
  const shown = rows.slice(0, height);
  const closer = panel.key === undefined ? 'esc closes' : `${panel.key} or esc closes`;
  return (
    <Box flexDirection="column" width={width} height={height + 1} overflow="hidden">
      <Text wrap="truncate-end">
        <Text bold>{panel.title.toUpperCase()} </Text>
        <Text dimColor>
          {panel.plugin} · {closer}
          {rows.length > shown.length ? ` · ${rows.length - shown.length} more` : ''}
        </Text>
      </Text>
      {shown.map((row, i) => (
        <Drawn key={i} row={row} overlay={overlay} />
      ))}
    </Box>
  );
}
