import { useEffect, useState } from 'react';
import type { Controller } from '../../model/controller.js';
import { EMPTY_CLUSTER, withLists, withNodes, type Cluster } from '../cluster/cluster.js';
import { decodeLists, decodeNodes } from '../cluster/decode.js';

/** The plugin that serves the cluster's RPCs on a master. */
export const FEDERATION = 'federation';

/** How often the nodes and their instances are asked for. */
export const CLUSTER_POLL_MS = 2000;

/**
 * The cluster, when this supervisor is a federation master: one `nodes` call tells (it fails on a worker
 * or without the plugin, and then nothing more runs). Then `nodes` and `list` are polled, each on its own
 * loop that never overlaps itself, so a node slow to list its apps never delays news of a node going away.
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
    const pollNodes = async (): Promise<void> => {
      const nodes = decodeNodes(await call(FEDERATION, 'nodes', null));
      if (typeof nodes !== 'string') update((prev) => withNodes(prev, nodes));
    };
    const pollLists = async (): Promise<void> => {
      const lists = decodeLists(await call(FEDERATION, 'list', { node: 'all' }));
      if (typeof lists !== 'string') update((prev) => withLists(prev, lists));
    };
    void call(FEDERATION, 'nodes', null).then(
      (raw) => {
        const nodes = decodeNodes(raw);
        if (disposed || typeof nodes === 'string') return;
        update((prev) => withNodes(prev, nodes));
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
