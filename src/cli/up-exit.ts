import type { InstanceId } from '../model/ids.js';
import type { ProcessState } from '../model/state.js';

/** How `up` came to stop. */
export type UpEnd =
  /** A signal, `node-unit down`, q in the view: `reason` says which. */
  | { readonly kind: 'asked'; readonly reason: string }
  /** Without the view, every app ended on its own and nothing was left to run. */
  | { readonly kind: 'ended' };

/** One instance as it was when the stop began (before the stop itself changed it). */
export interface FinalInstance {
  readonly id: InstanceId;
  readonly app: string;
  readonly state: ProcessState;
  /** pm2's stop_exit_codes: exits the app declares deliberate. */
  readonly stopExitCodes: readonly number[];
}

/** `up`'s own codes; a bad config (1), bad arguments (2) and an internal error (70) end it before apps start. */
export const UP_EXIT = { clean: 0, appFailed: 1 } as const;

/** The exit codes as `up --help` lists them. */
export const UP_EXIT_HELP = `
Exit codes:
  0   every app was stopped when asked (Ctrl-C, SIGTERM, down, q) or ended with 0 or one of its stop_exit_codes
  1   an app had failed for good when up stopped: errored (restarts exhausted, could not start, readiness
      failed) or exited by itself with another code, or by a signal, and was not restarted;
      also: the config is invalid, a supervisor already runs here, the state folder cannot be written
  2   bad arguments
  70  an internal error (a bug: please report it)
Without the TUI, up ends by itself once every app has ended and nothing will start one again
(an app stopped with 'node-unit stop', cron_restart or watch keep it running); --no-auto-exit keeps it running.
`;

export interface UpVerdict {
  readonly code: (typeof UP_EXIT)[keyof typeof UP_EXIT];
  /** What `up` prints last, when there is something to say. */
  readonly line: string | undefined;
}

/** Why an instance counts as failed, or undefined when it ended well or was stopped by the stop itself. */
function failure(instance: FinalInstance, name: string): string | undefined {
  const { state } = instance;
  if (state.status === 'errored') return `${name} errored (${state.reason})`;
  if (state.status !== 'exited') return undefined;
  if (state.signal !== null) return `${name} was killed by ${state.signal}`;
  if (state.code === 0 || (state.code !== null && instance.stopExitCodes.includes(state.code))) return undefined;
  return `${name} exited with code ${state.code ?? '?'}`;
}

/**
 * Pure: `up`'s exit code. 1 when an instance had failed for good when the stop began: errored (restarts
 * exhausted, could not start, readiness failed), or exited by itself with a code other than 0 or one of its
 * stop_exit_codes (or by a signal) and was not restarted. Otherwise 0: every app was stopped when asked, was
 * waiting to be restarted, or ended well.
 */
export function upVerdict(instances: readonly FinalInstance[], end: UpEnd): UpVerdict {
  // An app of one instance is named as the log prefixes name it: `api`, not `api:0`.
  const single = (app: string): boolean => instances.filter((other) => other.app === app).length === 1;
  const failed = instances.map((instance) => failure(instance, single(instance.app) ? instance.app : instance.id)).filter((text): text is string => text !== undefined);
  const code = failed.length > 0 ? UP_EXIT.appFailed : UP_EXIT.clean;
  const why = failed.length > 0 ? `: ${failed.join('; ')}` : '';
  if (end.kind === 'ended') return { code, line: `every app has ended; exit code ${code}${why}` };
  return { code, line: failed.length > 0 ? `exit code ${code} (stopped by ${end.reason})${why}` : undefined };
}
