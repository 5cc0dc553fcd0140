import type { InstanceInfo } from '../../model/events.js';
import type { ClusterNode, NodeList } from './decode.js';

/**
 * What the view knows of the cluster on a master: its own name, the workers, and each worker's last known
 * instances. Pure: the polling hook feeds it, the table and the nodes panel read it.
 */
export interface Cluster {
  /** The master's own name (its rows are the local ones); undefined until the first list answers. */
  readonly self: string | undefined;
  readonly nodes: readonly ClusterNode[];
  /** Last known instances per worker: kept while a node is away, so its apps show as unknown, not gone. */
  readonly instances: ReadonlyMap<string, readonly InstanceInfo[]>;
}

export const EMPTY_CLUSTER: Cluster = { self: undefined, nodes: [], instances: new Map() };

/** The rows of the master itself, until it has told its name. */
const SELF_FALLBACK = 'master';

export function withNodes(cluster: Cluster, nodes: readonly ClusterNode[]): Cluster {
  return { ...cluster, nodes };
}

/** A `list` answer: the worker lists that came back replace the old ones; the one that is no worker is the master. */
export function withLists(cluster: Cluster, lists: readonly NodeList[]): Cluster {
  const workers = new Set(cluster.nodes.map((node) => node.name));
  const instances = new Map(cluster.instances);
  let self = cluster.self;
  for (const list of lists) {
    if (!workers.has(list.node)) {
      self = list.node;
      continue;
    }
    if (list.ok) instances.set(list.node, list.instances);
  }
  return { ...cluster, self, instances };
}

/** A node's apps are known only while it answers: stale or offline shows them as unknown. */
export function isReachable(node: ClusterNode | undefined): boolean {
  return node?.state === 'online';
}

/** The id a remote row goes by in the view: unique across nodes, and still `app:index` shaped. */
export function remoteRow(info: InstanceInfo, node: string): InstanceInfo {
  return { ...info, id: `${node}/${info.app}:${info.index}`, node };
}

/** Every row of the table: the master's own instances (named after it), then each worker's, in node order. */
export function clusterRows(local: readonly InstanceInfo[], cluster: Cluster | undefined): readonly InstanceInfo[] {
  if (!cluster) return local;
  const self = selfName(cluster);
  return [...local.map((info) => ({ ...info, node: self })), ...cluster.nodes.flatMap((node) => (cluster.instances.get(node.name) ?? []).map((info) => remoteRow(info, node.name)))];
}

export function selfName(cluster: Cluster): string {
  return cluster.self ?? SELF_FALLBACK;
}

/** The worker a row belongs to; undefined for the master's own rows and without a cluster. */
export function workerOf(info: InstanceInfo, cluster: Cluster | undefined): ClusterNode | undefined {
  if (!cluster || info.node === undefined || info.node === selfName(cluster)) return undefined;
  return cluster.nodes.find((node) => node.name === info.node);
}
