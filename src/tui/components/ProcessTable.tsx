import { Box, Text } from 'ink';
import { memo } from 'react';
import type { InstanceInfo } from '../../model/events.js';
import type { InstanceId } from '../../model/ids.js';
import { COLUMN_GAP, layoutColumns, type Column } from '../columns.js';
import { describeInfo, fit, formatCpu, formatMemory, pidOf, statusColor, uptimeOf, type Color } from '../format.js';

export interface ProcessTableProps {
  readonly instances: readonly InstanceInfo[];
  readonly selected: InstanceId | undefined;
  readonly focused: boolean;
  /** Rows for the body (the title row is extra). */
  readonly height: number;
  readonly width: number;
  readonly now: number;
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

// One Text per row, cells padded to their column width: per-cell Boxes cost a layout node each, every frame.

/** Keeps the selected row visible when there are more instances than rows. */
function windowOf(count: number, selectedIndex: number, height: number): number {
  if (count <= height) return 0;
  return Math.max(0, Math.min(count - height, selectedIndex - Math.floor(height / 2)));
}

export const ProcessTable = memo(function ProcessTable({ instances, selected, focused, height, width, now }: ProcessTableProps) {
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
      {visible.map((info) => {
        const isSelected = info.id === (selected ?? instances[0]?.id);
        return (
          <Box key={info.id} width={width} height={1}>
            <Text wrap="truncate-end">
              <Text color={focused ? 'cyan' : 'gray'}>{isSelected ? '› ' : '  '}</Text>
              {columns.map((column, i) => {
                const cell = cellOf(column, info, now);
                return (
                  <Text key={column.key} color={cell.color} bold={isSelected && column.key === 'name'} inverse={isSelected && focused && column.key === 'name'}>
                    {i > 0 ? ' '.repeat(COLUMN_GAP) : ''}
                    {pad(cell.text, column)}
                  </Text>
                );
              })}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
});
