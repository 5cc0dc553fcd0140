import { useEffect, useState } from 'react';
import type { Controller } from '../../model/controller.js';
import type { InstanceInfo } from '../../model/events.js';
import { fetchRemoteDetail, type RemoteDetail } from '../cluster/remote-detail.js';
import { FEDERATION } from './useCluster.js';

const LOADING: RemoteDetail = { kind: 'loading' };

/**
 * The spec of a worker's instance while its detail panel is open, asked once each time the panel opens on
 * it; undefined for the master's own rows (their specs come with useSpecs).
 */
export function useRemoteDetail(controller: Controller, info: InstanceInfo | undefined, node: string | undefined): RemoteDetail | undefined {
  const [detail, setDetail] = useState<{ readonly key: string; readonly detail: RemoteDetail } | undefined>(undefined);
  const key = info !== undefined && node !== undefined ? `${node}\n${info.app}:${info.index}` : undefined;
  useEffect(() => {
    if (key === undefined || info === undefined || node === undefined) return undefined;
    let current = true;
    setDetail({ key, detail: LOADING });
    void fetchRemoteDetail(controller, FEDERATION, node, `${info.app}:${info.index}`).then((answer) => {
      if (current) setDetail({ key, detail: answer });
    });
    return () => {
      current = false;
    };
    // Asked again only when the panel opens on another instance, not on each poll's fresh row.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [controller, key]);
  if (key === undefined) return undefined;
  return detail?.key === key ? detail.detail : LOADING;
}
