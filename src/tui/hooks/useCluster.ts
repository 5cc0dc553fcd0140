import { useEffect, useState } from 'react';
import type { Controller } from '../../model/controller.js';
import { EMPTY_CLUSTER, isReachable, withLists, withNodes, type Cluster } from '../cluster/cluster.js';
import { decodeLists, decodeNodes, type ClusterNode } from '../cluster/decode.js';

/** The plugin that serves the cluster's RPCs on a master. */
export const FEDERATION = 'federation';

/** How often the nodes and their instances are asked for. */
export const CLUSTER_POLL_MS = 2000;

/**
 * The cluster, when this supervisor is a federation master: one `nodes` call tells (it fails on a worker
 * or without the plugin, and then nothing more runs). Then `nodes` and `list` are polled, each on its own
 * loop, and no call overlaps one of its kind still running, so a node slow to list its apps never delays
 * news of a node going away, nor the other nodes' apps.
 */
export function useCluster(controller: Controller, pollMs = CLUSTER_POLL_MS): Cluster | undefined {
  const [cluster, setCluster] = useState<Cluster | undefined>(undefined);
  useEffect(() => {
    const call = controller.callPlugin?.bind(controller);
    if (!call) return undefined;
    let disposed = false;
    const timers = new Set<NodeJS.Timeout>();
    const update = (change: (prev: Cluster) => Cluster): void => {
      if (!disposed) setCluster((prev) => change(prev ?? EMPTY_CLUSTER));
    };
    const loop = async (step: () => Promise<void>): Promise<void> => {
      await step().catch(() => undefined);
      if (disposed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        void loop(step);
      }, pollMs);
      timers.add(timer);
    };
    let workers: readonly ClusterNode[] = [];
    let self: string | undefined;
    const listing = new Set<string>();
    /** True when the answer was a list of nodes. */
    const takeNodes = (raw: unknown): boolean => {
      const nodes = decodeNodes(raw);
      if (disposed || typeof nodes === 'string') return false;
      workers = nodes;
      update((prev) => withNodes(prev, nodes));
      return true;
    };
    const pollNodes = async (): Promise<void> => {
      takeNodes(await call(FEDERATION, 'nodes', null));
    };
    const listOf = async (node: string): Promise<void> => {
      listing.add(node);
      try {
        const lists = decodeLists(await call(FEDERATION, 'list', { node }));
        if (typeof lists === 'string') return;
        self ??= lists.find((list) => !workers.some((worker) => worker.name === list.node))?.node;
        update((prev) => withLists(prev, lists));
      } finally {
        listing.delete(node);
      }
    };
    // Until the master has told its name (the first answer of 'all'), every node at once; then each online
    // worker on its own, so one slow to answer holds up only its own rows.
    const pollLists = async (): Promise<void> => {
      if (self === undefined) return listOf('all');
      for (const node of workers.filter(isReachable)) if (!listing.has(node.name)) void listOf(node.name).catch(() => undefined);
    };
    void call(FEDERATION, 'nodes', null).then(
      (raw) => {
        if (!takeNodes(raw)) return;
        void loop(pollLists);
        const first = setTimeout(() => void loop(pollNodes), pollMs);
        timers.add(first);
      },
      () => undefined,
    );
    return () => {
      disposed = true;
      for (const timer of timers) clearTimeout(timer);
    };
  }, [controller, pollMs]);
  return cluster;
}
