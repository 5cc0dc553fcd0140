import { Box, Text } from 'ink';
import { memo } from 'react';
import type { InstanceInfo } from '../../model/events.js';
import { PROCESS_STATUSES } from '../../model/state.js';
import { formatDuration } from '../../util/units.js';
import { formatCpu, formatMemory, statusColor } from '../format.js';

export interface HeaderProps {
  readonly project: string;
  readonly mode: 'up' | 'attach';
  readonly startedAt: number | undefined;
  readonly now: number;
  readonly instances: readonly InstanceInfo[];
  readonly shutdown: string | undefined;
  readonly width: number;
}

/** Project, uptime, counts per state and the totals, on one line. */
export const Header = memo(function Header({ project, mode, startedAt, now, instances, shutdown, width }: HeaderProps) {
  const counts = PROCESS_STATUSES.map((status) => ({ status, count: instances.filter((info) => info.state.status === status).length })).filter((c) => c.count > 0);
  const cpu = instances.reduce((sum, info) => sum + (info.cpu ?? 0), 0);
  const memory = instances.reduce((sum, info) => sum + (info.memory ?? 0), 0);
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate-end">
        {shutdown !== undefined ? <Text color="yellow">stopping everything ({shutdown}) · </Text> : null}
        {width >= 100 ? <Text bold color="cyan">node-unit </Text> : null}
        <Text bold>{project}</Text>
        {mode === 'attach' ? <Text dimColor> (attached)</Text> : null}
        {startedAt !== undefined ? <Text dimColor> · up {formatDuration(Math.max(0, now - startedAt))}</Text> : null}
        <Text dimColor> · </Text>
        <Text>CPU {formatCpu(cpu)} · MEM {formatMemory(memory)}</Text>
        <Text dimColor> ·</Text>
        {counts.map(({ status, count }) => (
          <Text key={status} color={statusColor(status)}>
            {' '}
            {count} {status}
          </Text>
        ))}
      </Text>
    </Box>
  );
});
