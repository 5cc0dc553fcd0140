import { assertNever } from '../model/assert.js';
import type { InstanceInfo, SupervisorEvent } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { upVerdict, type UpEnd, type UpVerdict } from './up-exit.js';

type Followed = Pick<Supervisor, 'subscribe' | 'describe' | 'nothingLeftToRun'>;

export interface UpOutcome {
  /** The exit code, from the states the instances had when the stop began. Call once everything has stopped. */
  verdict(): Promise<UpVerdict>;
  close(): void;
}

/**
 * Follows the instances while `up` runs. With `onIdle` (no view), calls it once when nothing is left to run;
 * the stop that follows counts as the apps having ended rather than as a request.
 */
export function followOutcome(supervisor: Followed, onIdle?: () => void): UpOutcome {
  let latest = new Map<InstanceId, InstanceInfo>();
  let atStop: { readonly instances: readonly InstanceInfo[]; readonly reason: string } | undefined;
  let ended = false;
  let checking = false;
  const checkIdle = (): void => {
    if (!onIdle || checking || ended || atStop) return;
    checking = true;
    // A turn later: a dependent this change let start, or a restart's start after its stop, is launching by then.
    setImmediate(() => {
      checking = false;
      if (ended || atStop || !supervisor.nothingLeftToRun()) return;
      ended = true;
      onIdle();
    });
  };
  const handle = (event: SupervisorEvent): void => {
    switch (event.type) {
      case 'snapshot':
      case 'config':
        latest = new Map(event.instances.map((info) => [info.id, info]));
        return checkIdle();
      case 'state':
        latest.set(event.instance.id, event.instance);
        return checkIdle();
      case 'shutdown':
        atStop ??= { instances: [...latest.values()], reason: event.reason };
        return;
      case 'log':
      case 'metrics':
        return;
      default:
        return assertNever(event, 'event');
    }
  };
  const unsubscribe = supervisor.subscribe(handle, { logs: 'none', metrics: false });
  return {
    async verdict() {
      const described = await supervisor.describe('all');
      const stopExitCodes = new Map(described.ok ? described.instances.map((detail) => [detail.info.id, detail.spec.stopExitCodes]) : []);
      const instances = atStop?.instances ?? [...latest.values()];
      const end: UpEnd = ended ? { kind: 'ended' } : { kind: 'asked', reason: atStop?.reason ?? 'a request' };
      return upVerdict(instances.map((info) => ({ info, stopExitCodes: stopExitCodes.get(info.id) ?? [] })), end);
    },
    close: unsubscribe,
  };
}
