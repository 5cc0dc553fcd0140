import { Box } from 'ink';
import { memo } from 'react';
import type { InstanceInfo } from '../../model/events.js';
import { PROCESS_STATUSES } from '../../model/state.js';
import { formatAge, formatCpu, formatMemory, statusColor } from '../format.js';
import type { RowOverlay } from '../row-overlay.js';
import { paint } from '../sgr.js';
import { textWidth } from '../cells.js';
import { STATUS_RANK } from '../table-rows.js';
import { LiveRow } from './Row.js';

export interface HeaderProps {
  readonly project: string;
  readonly mode: 'up' | 'attach';
  readonly startedAt: number | undefined;
  readonly now: number;
  readonly instances: readonly InstanceInfo[];
  readonly shutdown: string | undefined;
  readonly width: number;
  readonly overlay?: RowOverlay | undefined;
  /** On a federation master: `3 nodes, 1 offline`. */
  readonly cluster?: string | undefined;
  /** On a federation master: instances of nodes that do not answer now, whose state is not known. */
  readonly unknown?: number | undefined;
}

/** Project, counts per state (problems first), uptime and totals, on one line; what does not fit goes from the end. */
export const Header = memo(function Header({ project, mode, startedAt, now, instances, shutdown, width, overlay, cluster, unknown = 0 }: HeaderProps) {
  const counts = [...PROCESS_STATUSES]
    .sort((a, b) => STATUS_RANK[a] - STATUS_RANK[b])
    .map((status) => ({ status, count: instances.filter((info) => info.state.status === status).length }))
    .filter((c) => c.count > 0);
  const cpu = instances.reduce((sum, info) => sum + (info.cpu ?? 0), 0);
  const memory = instances.reduce((sum, info) => sum + (info.memory ?? 0), 0);
  const dot = paint(' · ', { dim: true });
  const head = [
    shutdown !== undefined ? paint(`stopping everything (${shutdown}) · `, { color: 'yellow' }) : '',
    width >= 100 ? paint('node-unit ', { bold: true, color: 'cyan' }) : '',
    paint(project, { bold: true }),
    mode === 'attach' ? paint(' (attached)', { dim: true }) : '',
    dot,
    [...counts.map(({ status, count }) => paint(`${count} ${status}`, { color: statusColor(status) })), ...(unknown > 0 ? [paint(`${unknown} unknown`, { dim: true })] : [])].join(' '),
    cluster === undefined ? '' : `${dot}${cluster}`,
  ].join('');
  const text = (at: number): string => {
    const tail = [startedAt !== undefined ? paint(`up ${formatAge(at - startedAt)}`, { dim: true }) : undefined, `CPU ${formatCpu(cpu)}`, `MEM ${formatMemory(memory)}`].filter((part) => part !== undefined);
    let fitted = head;
    for (const part of tail) {
      const next = `${fitted}${dot}${part}`;
      if (textWidth(next) > width) break;
      fitted = next;
    }
    return fitted;
  };
  return (
    <Box width={width} height={1} overflow="hidden">
      <LiveRow text={text} now={now} width={width} overlay={overlay} />
    </Box>
  );
});
