import { useEffect, useRef } from 'react';
import type { Controller } from '../../model/controller.js';
import { instanceId } from '../../model/ids.js';
import { isReachable, type Cluster } from '../cluster/cluster.js';
import { RemoteLogs, type RemoteLogItem } from '../cluster/remote-logs.js';
import type { LogStore } from '../log-store.js';
import { FEDERATION } from './useCluster.js';
import type { AddLines } from './useSupervisor.js';

/** A remote line's place in the view: the row of its node's instance, labelled `node/app`. */
function placeIn(store: LogStore, item: RemoteLogItem): void {
  if (item.kind === 'lines') {
    store.addRemote(item.lines, (line) => {
      const index = Number(line.id.slice(line.id.lastIndexOf(':') + 1));
      return { id: instanceId(`${item.node}/${line.app}`, index), app: `${item.node}/${line.app}` };
    });
    return;
  }
  store.addEvent(instanceId(`${item.node}/`, 0), `${item.node}/`, item.text);
}

/** On a master, the workers' log lines join the merged pane (see RemoteLogs); nothing runs without a cluster. */
export function useRemoteLogs(controller: Controller, cluster: Cluster | undefined, addLines: AddLines): void {
  const logs = useRef<RemoteLogs | undefined>(undefined);
  const present = cluster !== undefined;
  useEffect(() => {
    const call = controller.callPlugin?.bind(controller);
    if (!present || !call) return undefined;
    const remote = new RemoteLogs(call, FEDERATION, (items) => addLines((store) => items.forEach((item) => placeIn(store, item))));
    logs.current = remote;
    return () => {
      logs.current = undefined;
      remote.dispose();
    };
  }, [controller, present, addLines]);
  useEffect(() => {
    if (cluster) logs.current?.sync(cluster.nodes.filter(isReachable).map((node) => node.name));
  }, [cluster]);
}
