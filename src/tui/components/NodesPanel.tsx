import { Box, Text } from 'ink';
import type { InstanceInfo } from '../../model/events.js';
import type { Cluster } from '../cluster/cluster.js';
import { nodeRows } from '../cluster/node-lines.js';
import type { RowOverlay } from '../row-overlay.js';
import { Drawn } from './Row.js';

export interface NodesPanelProps {
  readonly cluster: Cluster;
  /** The master's own instances. */
  readonly local: readonly InstanceInfo[];
  readonly now: number;
  readonly width: number;
  /** Rows below the title. */
  readonly height: number;
  readonly overlay?: RowOverlay | undefined;
}

/** The cluster's nodes, one line each, in place of the log pane (`d` toggles it). */
export function NodesPanel({ cluster, local, now, width, height, overlay }: NodesPanelProps) {
  const rows = nodeRows(cluster, local, now, width);
  const shown = rows.slice(0, height);
  return (
    <Box flexDirection="column" width={width} height={height + 1} overflow="hidden">
      <Text wrap="truncate-end">
        <Text bold>NODES </Text>
        <Text dimColor>
          {cluster.nodes.length + 1} · d closes · f node:name filters{rows.length > shown.length ? ` · ${rows.length - shown.length} more` : ''}
        </Text>
      </Text>
      {shown.map((row, i) => (
        <Drawn key={i} row={row} overlay={overlay} />
      ))}
    </Box>
  );
}
