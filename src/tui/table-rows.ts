import type { InstanceInfo } from '../model/events.js';
import type { ProcessStatus } from '../model/state.js';
import type { SortKey } from './ui-state.js';

/** Problem states first: where the eye should go in a long list. */
export const STATUS_RANK: Readonly<Record<ProcessStatus, number>> = { errored: 0, backoff: 1, exited: 2, stopping: 3, starting: 4, pending: 5, stopped: 6, online: 7 };

const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * By name, letter case aside, then by instance. Not localeCompare: its first call loads ICU's collation
 * data into the view, ~3 MiB of RSS for a sort of app names.
 */
const byName = (a: InstanceInfo, b: InstanceInfo): number => order(a.app.toLowerCase(), b.app.toLowerCase()) || order(a.app, b.app) || a.index - b.index;

const COMPARE: Readonly<Record<SortKey, (a: InstanceInfo, b: InstanceInfo) => number>> = {
  name: () => 0,
  status: (a, b) => STATUS_RANK[a.state.status] - STATUS_RANK[b.state.status],
  cpu: (a, b) => (b.cpu ?? -1) - (a.cpu ?? -1),
  mem: (a, b) => (b.memory ?? -1) - (a.memory ?? -1),
  restarts: (a, b) => b.state.restarts - a.state.restarts,
};

/** The filter's prefix that matches the node instead of the name: `node:nas`. */
export const NODE_FILTER = 'node:';

function matcher(filter: string): (info: InstanceInfo) => boolean {
  const needle = filter.toLowerCase();
  if (!needle.startsWith(NODE_FILTER)) return (info) => `${info.app}:${info.index}`.toLowerCase().includes(needle) || info.id.toLowerCase().includes(needle);
  const node = needle.slice(NODE_FILTER.length);
  return (info) => (info.node ?? '').toLowerCase().includes(node);
}

/**
 * The table's rows: the instances whose name or id contains the filter (case-insensitive), or with
 * `node:name` those of the nodes whose name contains it, in the sort's order (largest first for numbers);
 * ties keep the config's order for 'name', else go by name.
 */
export function tableRows(instances: readonly InstanceInfo[], filter: string | undefined, sort: SortKey): readonly InstanceInfo[] {
  const kept = filter ? instances.filter(matcher(filter)) : instances;
  if (sort === 'name') return kept;
  const compare = COMPARE[sort];
  return [...kept].sort((a, b) => compare(a, b) || byName(a, b));
}

/** The first row shown: keeps the selected row in view, centred when the list is longer than the table. */
export function tableWindow(count: number, selectedIndex: number, height: number): number {
  if (count <= height) return 0;
  return Math.max(0, Math.min(count - height, selectedIndex - Math.floor(height / 2)));
}
