import type { InstanceInfo } from '../model/events.js';
import { describeState } from './headless.js';

/** How `up` came to stop. */
export type UpEnd =
  /** A signal, `node-unit down`, q in the view: `reason` says which. */
  | { readonly kind: 'asked'; readonly reason: string }
  /** Without the view, every app ended on its own and nothing was left to run. */
  | { readonly kind: 'ended' };

/** One instance as it was when the stop began (before the stop itself changed it). */
export interface FinalInstance {
  readonly info: InstanceInfo;
  /** pm2's stop_exit_codes: exits the app declares deliberate. */
  readonly stopExitCodes: readonly number[];
}

/** `up`'s own codes; a bad config (1), bad arguments (2) and an internal error (70) end it before apps start. */
export const UP_EXIT = { clean: 0, appFailed: 1 } as const;

export interface UpVerdict {
  readonly code: (typeof UP_EXIT)[keyof typeof UP_EXIT];
  /** What `up` prints last, when there is something to say. */
  readonly line: string | undefined;
}

/** Ended for good in a way the app did not declare deliberate (the stop itself leaves instances `stopped`). */
function failed({ info: { state }, stopExitCodes }: FinalInstance): boolean {
  if (state.status === 'errored') return true;
  if (state.status !== 'exited') return false;
  return state.signal !== null || state.code === null || (state.code !== 0 && !stopExitCodes.includes(state.code));
}

/**
 * Pure: `up`'s exit code. 1 when an instance had failed for good when the stop began: errored (restarts
 * exhausted, could not start, readiness failed), or exited by itself with a code other than 0 or one of its
 * stop_exit_codes (or by a signal) and was not restarted. Otherwise 0: every app was stopped when asked, was
 * waiting to be restarted, or ended well.
 */
export function upVerdict(instances: readonly FinalInstance[], end: UpEnd): UpVerdict {
  // An app of one instance is named as the log prefixes name it: `api`, not `api:0`; the words are theirs too.
  const single = (app: string): boolean => instances.filter((other) => other.info.app === app).length === 1;
  const failures = instances.filter(failed).map(({ info }) => `${single(info.app) ? info.app : info.id} ${describeState(info) ?? info.state.status}`);
  const code = failures.length > 0 ? UP_EXIT.appFailed : UP_EXIT.clean;
  const why = failures.length > 0 ? `: ${failures.join('; ')}` : '';
  if (end.kind === 'ended') return { code, line: `every app has ended; exit code ${code}${why}` };
  return { code, line: failures.length > 0 ? `exit code ${code} (stopped by ${end.reason})${why}` : undefined };
}
