import { assertNever } from '../model/assert.js';
import type { ProcessState } from '../model/state.js';

/** What the idle rule needs to know of one instance. */
export interface IdleView {
  readonly state: ProcessState;
  /** A launch is under way: its state changes only once the process has spawned. */
  readonly launching: boolean;
  /** cron_restart starts the instance again after it exited. */
  readonly cron: boolean;
  /** A file change restarts the instance after it exited or errored. */
  readonly watched: boolean;
}

const endedOnItsOwn = (view: IdleView): boolean => view.state.status === 'exited' || view.state.status === 'errored';

/** The instance will not run again unless someone asks (a command, a reload). */
function settled(view: IdleView): boolean {
  if (view.launching) return false;
  const { state } = view;
  switch (state.status) {
    case 'starting':
    case 'online':
    case 'stopping':
    case 'backoff':
      return false;
    case 'pending':
      // Waits for a dependency; when every other instance is settled too, that dependency never comes.
      return true;
    case 'stopped':
      // Never started (autostart false, --only) is settled; stopped by a command waits to be started again.
      return state.since === 0;
    case 'exited':
      return !view.cron && !view.watched;
    case 'errored':
      return !view.watched;
    default:
      return assertNever(state, 'process state');
  }
}

/**
 * Pure: nothing runs and nothing will start by itself again, and at least one instance ended on its own
 * (exited or errored). `up` without a terminal then ends, as pm2-runtime and process-compose do.
 */
export function nothingLeftToRun(instances: readonly IdleView[]): boolean {
  return instances.some(endedOnItsOwn) && instances.every(settled);
}
