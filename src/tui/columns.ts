import { columnKey, type PluginColumnView } from '../model/plugin.js';

/**
 * The process table's columns; on a narrow terminal the highest `drop` goes first: PID, uptime, memory and
 * CPU before the instance number and the restart count (NAME shows `app:index` once `#` has gone).
 */
export type ColumnKey = 'node' | 'name' | 'instance' | 'status' | 'pid' | 'cpu' | 'memory' | 'uptime' | 'restarts' | 'plugin' | 'info';

export interface Column {
  readonly key: ColumnKey;
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  /** 0 = never dropped. */
  readonly drop: number;
  /** A plugin column: the key of its value in InstanceInfo.columns. */
  readonly ref?: string;
}

/** Plugin columns go before INFO, and on a narrow terminal before any built-in one, the last first. */
function pluginColumns(views: readonly PluginColumnView[]): readonly Column[] {
  return views.map((view, i) => ({ key: 'plugin', title: view.header, width: view.width, align: view.align, drop: 10 + i, ref: columnKey(view.plugin, view.id) }));
}

const NODE: Column = { key: 'node', title: 'NODE', width: 8, align: 'left', drop: 0 };

const ALL: readonly Column[] = [
  { key: 'name', title: 'NAME', width: 14, align: 'left', drop: 0 },
  { key: 'instance', title: '#', width: 3, align: 'right', drop: 3 },
  { key: 'status', title: 'STATUS', width: 9, align: 'left', drop: 0 },
  { key: 'pid', title: 'PID', width: 8, align: 'right', drop: 7 },
  { key: 'cpu', title: 'CPU', width: 6, align: 'right', drop: 4 },
  { key: 'memory', title: 'MEM', width: 9, align: 'right', drop: 5 },
  { key: 'uptime', title: 'UPTIME', width: 8, align: 'right', drop: 6 },
  { key: 'restarts', title: '↺', width: 3, align: 'right', drop: 2 },
  { key: 'info', title: 'INFO', width: 0, align: 'left', drop: 0 },
];

const GAP = 1;

/**
 * The columns that fit in `width`, with the name column grown to `nameWidth` (at most 24 columns and 30 % of
 * the width: a long name is cut rather than cost the `#` column) and INFO taking what is left. With a
 * cluster, NODE comes first, grown to `nodeWidth` (at most 16 columns).
 */
export function layoutColumns(width: number, nameWidth: number, nodeWidth?: number, plugins: readonly PluginColumnView[] = []): readonly Column[] {
  const minInfo = Math.min(24, Math.floor(width * 0.35));
  const name = Math.max(6, Math.min(nameWidth, 24, Math.floor(width * 0.3)));
  const node = nodeWidth === undefined ? [] : [{ ...NODE, width: Math.max(4, Math.min(nodeWidth, 16)) }];
  const builtIn = plugins.length === 0 ? ALL : [...ALL.slice(0, -1), ...pluginColumns(plugins), ...ALL.slice(-1)];
  let columns = [...node, ...builtIn].map((column) => (column.key === 'name' ? { ...column, width: name } : column));
  const fixed = (list: readonly Column[]): number => list.filter((c) => c.key !== 'info').reduce((sum, c) => sum + c.width + GAP, 0);
  while (width - fixed(columns) < minInfo) {
    const victim = columns.reduce<Column | undefined>((worst, c) => (c.drop > (worst?.drop ?? 0) ? c : worst), undefined);
    if (!victim) break;
    columns = columns.filter((c) => c !== victim);
  }
  const info = Math.max(0, width - fixed(columns));
  return columns.map((column) => (column.key === 'info' ? { ...column, width: info } : column));
}

export const COLUMN_GAP = GAP;
