import type { InstanceInfo } from '../../model/events.js';
import { formatDuration } from '../../util/units.js';
import { fitColumns } from '../cells.js';
import type { Color } from '../format.js';
import { isRunning } from '../format.js';
import { paint } from '../sgr.js';
import { isReachable, selfName, type Cluster } from './cluster.js';
import type { NodeState } from './decode.js';

/** The nodes panel's rows and the header's summary, as finished ANSI text. Pure. */

const STATE_COLOR: Readonly<Record<NodeState, Color>> = { online: 'green', stale: 'yellow', offline: 'red' };

const NAME_WIDTH = 14;
const STATE_WIDTH = 8;

/** `3 online, 1 stopped` of what a node runs; `2 unknown` when it does not answer. */
export function appCounts(instances: readonly InstanceInfo[], reachable: boolean): string {
  if (instances.length === 0) return 'no apps known';
  if (!reachable) return `${instances.length} unknown`;
  const running = instances.filter((info) => isRunning(info.state.status)).length;
  const other = instances.length - running;
  return [running > 0 ? `${running} running` : undefined, other > 0 ? `${other} not running` : undefined].filter((part) => part !== undefined).join(', ');
}

function ago(iso: string | undefined, now: number): string {
  const at = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(at) ? 'never seen' : `seen ${formatDuration(Math.max(0, now - at))} ago`;
}

/** One row per node, the master first: name, state, RTT, last seen, version, app counts. */
export function nodeRows(cluster: Cluster, local: readonly InstanceInfo[], now: number, width: number): readonly string[] {
  const dot = paint(' · ', { dim: true });
  const self = `${paint(fitColumns(selfName(cluster), NAME_WIDTH), { bold: true })} ${paint(fitColumns('master', STATE_WIDTH), { color: 'cyan' })} ${appCounts(local, true)}`;
  const workers = cluster.nodes.map((node) => {
    const facts = [node.rttMs === undefined ? undefined : `rtt ${Math.round(node.rttMs)} ms`, ago(node.seen, now), node.version === undefined ? undefined : `v${node.version}`, appCounts(cluster.instances.get(node.name) ?? [], isReachable(node))];
    const text = facts.filter((fact) => fact !== undefined).join(dot);
    return `${fitColumns(node.name, NAME_WIDTH)} ${paint(fitColumns(node.state, STATE_WIDTH), { color: STATE_COLOR[node.state] })} ${text}`;
  });
  return [self, ...workers].map((row) => fitColumns(row, width));
}

/** For the header: `3 nodes, 1 offline`. */
export function clusterSummary(cluster: Cluster): string {
  const away = cluster.nodes.filter((node) => !isReachable(node));
  const count = cluster.nodes.length + 1;
  const states = (['stale', 'offline'] as const).map((state) => ({ state, n: away.filter((node) => node.state === state).length })).filter(({ n }) => n > 0);
  return [`${count} nodes`, ...states.map(({ state, n }) => paint(`${n} ${state}`, { color: STATE_COLOR[state] }))].join(', ');
}
