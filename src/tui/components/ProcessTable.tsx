import { Box, Text } from 'ink';
import { memo } from 'react';
import type { InstanceInfo } from '../../model/events.js';
import type { InstanceId } from '../../model/ids.js';
import type { PluginColumnView } from '../../model/plugin.js';
import { COLUMN_GAP, layoutColumns, type Column } from '../columns.js';
import type { RowOverlay } from '../row-overlay.js';
import { paint } from '../sgr.js';
import { LiveRow, Row } from './Row.js';
import { describeInfo, fit, formatCpu, formatMemory, pidOf, statusColor, uptimeOf, type Color, type ReadinessKind } from '../format.js';
import { fitColumns, textWidth } from '../cells.js';
import type { SortKey } from '../ui-state.js';

export interface ProcessTableProps {
  /** The rows, filtered and sorted. */
  readonly instances: readonly InstanceInfo[];
  /** How many instances there are in all (the filter may hide some). */
  readonly total: number;
  /** The first row shown (see tableWindow). */
  readonly first: number;
  readonly filter: string | undefined;
  readonly sort: SortKey;
  /** Readiness check per app: shown as `ready ✓ http` or `up (no check)`. */
  readonly readiness: ReadonlyMap<string, ReadinessKind>;
  readonly selected: InstanceId | undefined;
  readonly focused: boolean;
  /** Rows for the body (the title row is extra). */
  readonly height: number;
  readonly width: number;
  readonly now: number;
  readonly overlay?: RowOverlay | undefined;
  /** With a cluster: the NODE column shows, and the apps of these nodes (name → state) show as unknown. */
  readonly cluster?: { readonly away: ReadonlyMap<string, string> } | undefined;
  /** The plugins' columns, drawn after the built-in ones. */
  readonly plugins?: readonly PluginColumnView[];
}

interface Cell {
  readonly text: string;
  readonly color?: Color;
}

interface RowContext {
  readonly now: number;
  readonly readiness: ReadonlyMap<string, ReadinessKind>;
  /** `#` was dropped: apps with several instances show `app:index` in NAME. */
  readonly idInName: ReadonlySet<string>;
  readonly away: ReadonlyMap<string, string>;
}

/** The columns that mean nothing for an app whose node does not answer. */
const LIVE_ONLY: ReadonlySet<Column['key']> = new Set(['pid', 'cpu', 'memory', 'uptime', 'plugin']);

function awayCell(column: Column, info: InstanceInfo, nodeState: string): Cell | undefined {
  if (column.key === 'status') return { text: 'unknown', color: 'gray' };
  if (column.key === 'info') return { text: `node ${info.node ?? ''} is ${nodeState}`, color: 'yellow' };
  return LIVE_ONLY.has(column.key) ? { text: '' } : undefined;
}

/** As `ls` shows it: an app added from the command line, not from the ecosystem file, is marked `*`. */
function nameText(info: InstanceInfo, name: string): string {
  return info.adhoc === true ? `${name} *` : name;
}

function cellOf(column: Column, info: InstanceInfo, ctx: RowContext): Cell {
  const { now } = ctx;
  const away = info.node === undefined ? undefined : ctx.away.get(info.node);
  const unknown = away === undefined ? undefined : awayCell(column, info, away);
  if (unknown) return unknown;
  switch (column.key) {
    case 'node':
      return { text: info.node ?? '', color: away === undefined ? 'cyan' : 'gray' };
    case 'name':
      return { text: nameText(info, ctx.idInName.has(info.app) ? `${info.app}:${info.index}` : info.app) };
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
    case 'plugin':
      return { text: column.ref === undefined ? '' : (info.columns?.[column.ref] ?? '') };
    case 'info': {
      const status = info.state.status;
      return { text: describeInfo(info, now, ctx.readiness.get(info.app)), color: status === 'errored' ? 'red' : status === 'backoff' ? 'yellow' : 'gray' };
    }
  }
}

function pad(text: string, column: Column): string {
  if (column.align === 'left' || column.key === 'plugin') return fitColumns(text, column.width, column.align);
  const cut = fit(text, column.width);
  return cut.padStart(column.width);
}

// One string per row, cells padded to their column width: per-cell Boxes cost a layout node each, every frame.

function rowString(info: InstanceInfo, columns: readonly Column[], ctx: RowContext, isSelected: boolean, focused: boolean): string {
  const marker = paint(isSelected ? '› ' : '  ', { color: focused ? 'cyan' : 'gray' });
  const cells = columns.map((column, i) => {
    const cell = cellOf(column, info, ctx);
    const isName = isSelected && column.key === 'name';
    return paint(`${i > 0 ? ' '.repeat(COLUMN_GAP) : ''}${pad(cell.text, column)}`, { color: cell.color, bold: isName, inverse: isName && focused });
  });
  return marker + cells.join('');
}

/** Where the list is: `12–26 of 60`, with the filter and the sort when set. */
export function positionText(first: number, shown: number, count: number, total: number, filter: string | undefined, sort: SortKey): string {
  const range = count === 0 ? '0' : `${first + 1}–${first + shown}`;
  const of = count === total ? `of ${total}` : `of ${count} (${total} in all)`;
  return [`${range} ${of}`, filter === undefined ? undefined : `filter: ${filter}`, sort === 'name' ? undefined : `sort: ${sort}`].filter((part) => part !== undefined).join(' · ');
}

const NO_NODES: ReadonlyMap<string, string> = new Map();

const NO_PLUGIN_COLUMNS: readonly PluginColumnView[] = [];

export const ProcessTable = memo(function ProcessTable({ instances, total, first, filter, sort, readiness, selected, focused, height, width, now, overlay, cluster, plugins = NO_PLUGIN_COLUMNS }: ProcessTableProps) {
  const multi = new Set(instances.filter((info) => info.index > 0).map((info) => info.app));
  const widest = (name: (info: InstanceInfo) => string): number => Math.max(4, ...instances.map((info) => textWidth(name(info))));
  const nodeWidth = cluster ? widest((info) => info.node ?? '') : undefined;
  const withIndex = layoutColumns(width - 2, widest((info) => nameText(info, info.app)), nodeWidth, plugins);
  const keepsIndex = withIndex.some((column) => column.key === 'instance');
  const columns = keepsIndex ? withIndex : layoutColumns(width - 2, widest((info) => nameText(info, multi.has(info.app) ? `${info.app}:${info.index}` : info.app)), nodeWidth, plugins);
  const idInName = keepsIndex ? new Set<string>() : multi;
  const ctx: RowContext = { now, readiness, idInName, away: cluster?.away ?? NO_NODES };
  const visible = instances.slice(first, first + height);
  const position = positionText(first, visible.length, instances.length, total, filter, sort);
  const titles = `  ${columns.map((column) => pad(column.title, column)).join(' '.repeat(COLUMN_GAP))}`.trimEnd();
  const title = `${paint(fitColumns(titles, Math.max(0, width - position.length - 1)), { dim: true })} ${paint(position, { color: filter === undefined ? 'gray' : 'yellow' })}`;
  return (
    <Box flexDirection="column" width={width} height={height + 1} overflow="hidden">
      <Box width={width} height={1}>
        <Row text={title} width={width} overlay={overlay} />
      </Box>
      {visible.length === 0 ? <Text dimColor>  (no app matches the filter: esc clears it)</Text> : null}
      {visible.map((info) => (
        <Box key={info.id} width={width} height={1}>
          <LiveRow text={(at) => rowString(info, columns, { ...ctx, now: at }, info.id === (selected ?? instances[0]?.id), focused)} now={now} width={width} overlay={overlay} />
        </Box>
      ))}
    </Box>
  );
});
