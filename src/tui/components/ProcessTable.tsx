import { Box, Text } from 'ink';
import { memo } from 'react';
import type { InstanceInfo } from '../../model/events.js';
import type { InstanceId } from '../../model/ids.js';
import { COLUMN_GAP, layoutColumns, type Column } from '../columns.js';
import type { RowOverlay } from '../row-overlay.js';
import { paint } from '../sgr.js';
import { Row } from './Row.js';
import { describeInfo, fit, formatCpu, formatMemory, pidOf, statusColor, uptimeOf, type Color } from '../format.js';

export interface ProcessTableProps {
  readonly instances: readonly InstanceInfo[];
  readonly selected: InstanceId | undefined;
  readonly focused: boolean;
  /** Rows for the body (the title row is extra). */
  readonly height: number;
  readonly width: number;
  readonly now: number;
  readonly overlay?: RowOverlay | undefined;
}

interface Cell {
  readonly text: string;
  readonly color?: Color;
}

function cellOf(column: Column, info: InstanceInfo, now: number): Cell {
  switch (column.key) {
    case 'name':
      return { text: info.app };
    case 'instance':
      return { text: String(info.index) };
    case 'status':
      return { text: info.state.status, color: statusColor(info.state.status) };
    case 'pid':
      return { text: String(pidOf(info) ?? '') };
    case 'cpu':
      return { text: pidOf(info) === undefined ? '' : formatCpu(info.cpu) };
    case 'memory':
      return { text: pidOf(info) === undefined ? '' : formatMemory(info.memory) };
    case 'uptime':
      return { text: uptimeOf(info, now) };
    case 'restarts':
      return { text: String(info.state.restarts) };
    case 'info': {
      const status = info.state.status;
      return { text: describeInfo(info, now), color: status === 'errored' ? 'red' : status === 'backoff' ? 'yellow' : 'gray' };
    }
  }
}

function pad(text: string, column: Column): string {
  const cut = fit(text, column.width);
  return column.align === 'right' ? cut.padStart(column.width) : cut.padEnd(column.width);
}

// One string per row, cells padded to their column width: per-cell Boxes cost a layout node each, every frame.

function rowString(info: InstanceInfo, columns: readonly Column[], now: number, isSelected: boolean, focused: boolean): string {
  const marker = paint(isSelected ? '› ' : '  ', { color: focused ? 'cyan' : 'gray' });
  const cells = columns.map((column, i) => {
    const cell = cellOf(column, info, now);
    const isName = isSelected && column.key === 'name';
    return paint(`${i > 0 ? ' '.repeat(COLUMN_GAP) : ''}${pad(cell.text, column)}`, { color: cell.color, bold: isName, inverse: isName && focused });
  });
  return marker + cells.join('');
}

/** Keeps the selected row visible when there are more instances than rows. */
function windowOf(count: number, selectedIndex: number, height: number): number {
  if (count <= height) return 0;
  return Math.max(0, Math.min(count - height, selectedIndex - Math.floor(height / 2)));
}

export const ProcessTable = memo(function ProcessTable({ instances, selected, focused, height, width, now, overlay }: ProcessTableProps) {
  const nameWidth = Math.max(4, ...instances.map((info) => info.app.length));
  const columns = layoutColumns(width - 2, nameWidth);
  const selectedIndex = Math.max(0, instances.findIndex((info) => info.id === selected));
  const first = windowOf(instances.length, selectedIndex, height);
  const visible = instances.slice(first, first + height);
  return (
    <Box flexDirection="column" width={width} height={height + 1} overflow="hidden">
      <Box>
        <Text dimColor>
          {'  '}
          {columns.map((column) => pad(column.title, column)).join(' '.repeat(COLUMN_GAP))}
        </Text>
      </Box>
      {visible.map((info) => (
        <Box key={info.id} width={width} height={1}>
          <Row text={rowString(info, columns, now, info.id === (selected ?? instances[0]?.id), focused)} width={width} overlay={overlay} />
        </Box>
      ))}
    </Box>
  );
});
