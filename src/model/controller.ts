import type { LogCredit } from './log-credit.js';
import type { LogRun } from './log-runs.js';
import type { AppSpec, EnvSource } from './app.js';
import type { InstanceId } from './ids.js';
import type { InstanceInfo, LogLine, LogStream, SupervisorEvent } from './events.js';
import type { PanelResult, PluginViews } from './plugin.js';

/**
 * The one seam between the supervisor and everything that drives or watches it: the TUI, the control
 * socket, the headless printer, plugins. The control client implements it too, so a viewer cannot tell
 * a local supervisor from a remote one.
 */

/** 'all', an app name, `app:index`, or a namespace; a router may add `@node` (see target.ts). */
export type Target = string;

export type ActionErrorCode = 'unknown_target' | 'shutting_down' | 'failed' | 'bad_request';

export interface ActionError {
  readonly ok: false;
  readonly code: ActionErrorCode;
  readonly message: string;
}

export type ActionResult =
  | { readonly ok: true; readonly instances: readonly InstanceId[]; readonly warnings?: readonly string[] }
  | ActionError;

export interface InstanceDetail {
  readonly info: InstanceInfo;
  readonly spec: AppSpec;
  readonly pid: number | undefined;
  /** The latest start's variables, each with where it came from (absent before the first start). */
  readonly env?: Readonly<Record<string, EnvSource>>;
}

export type DescribeResult = { readonly ok: true; readonly instances: readonly InstanceDetail[] } | ActionError;

export interface LogQuery {
  /** How many recent lines (per request, merged across instances). */
  readonly lines: number;
  /** Both when undefined. */
  readonly streams?: readonly LogStream[];
}

export type LogsResult = { readonly ok: true; readonly lines: readonly LogLine[] } | ActionError;

export interface KeyChange {
  readonly key: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** What a reload of the config would do, app by app and key by key. */
export interface ReloadPlan {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** `scale`: only the instance count changed, so instances are added or removed and the others left running. */
  readonly changed: readonly { readonly app: string; readonly changes: readonly KeyChange[]; readonly action?: 'restart' | 'scale' }[];
  readonly unchanged: readonly string[];
}

export type ReloadResult =
  | { readonly ok: true; readonly kind: 'config'; readonly plan: ReloadPlan; readonly applied: boolean; readonly warnings: readonly string[] }
  | { readonly ok: true; readonly kind: 'rolling'; readonly instances: readonly InstanceId[] }
  | ActionError;

/**
 * For a viewer that shows a screenful (the TUI): at most `lines` log lines every `ms`, the newest; the lines
 * left out of a batch are counted in one `[… N lines not sent]` line per instance (LogLine.skipped). The log
 * files and other subscribers get every line.
 */
export interface LogThrottle {
  readonly ms: number;
  readonly lines: number;
}

export interface SubscribeOptions {
  /** Log lines of these targets; 'none' for no log events. Default 'all'. */
  readonly logs?: Target | 'none';
  /**
   * Batched, capped log lines. The control socket honours it (there every line costs encoding, for both
   * sides); an in-process supervisor hands lines on as they come, which costs it nothing more.
   */
  readonly throttle?: LogThrottle;
  /** Metrics events (CPU and memory per instance). Default true; a log printer says false, so an unwatched supervisor samples rarely. */
  readonly metrics?: boolean;
  /**
   * Log lines sent only against credit the subscriber grants (log-credit.ts), the rest dropped and counted.
   * Honoured where lines cross a link (the control protocol, and so a mesh session); an in-process
   * supervisor hands lines on as they come, which costs it nothing more.
   */
  readonly credit?: LogCredit;
  /**
   * Log lines as runs (log-runs.ts), handed here instead of as `log` events to the listener: a relay that
   * only passes lines on then makes no object per line. A marker comes as a run with `skipped`.
   */
  readonly runs?: (runs: readonly LogRun[]) => void;
}

export type Unsubscribe = () => void;

/** `scale api 4` sets the count; `scale api +2` / `-1` changes it. */
export type ScaleChange = { readonly kind: 'to'; readonly count: number } | { readonly kind: 'by'; readonly delta: number };

export interface RestartOptions {
  /** pm2's --update-env: read the app's env (config file and env files) again before restarting. */
  readonly updateEnv?: boolean;
}

export interface Controller {
  list(): Promise<readonly InstanceInfo[]>;
  describe(target: Target): Promise<DescribeResult>;
  start(target: Target): Promise<ActionResult>;
  stop(target: Target): Promise<ActionResult>;
  restart(target: Target, options?: RestartOptions): Promise<ActionResult>;
  /** No target: re-read the config and apply the difference (or only report it with planOnly). A target: rolling restart. */
  reload(target: Target | undefined, options: { readonly planOnly: boolean }): Promise<ReloadResult>;
  signal(signal: NodeJS.Signals, target: Target): Promise<ActionResult>;
  /** Empties the log files of the target (all when undefined). */
  flush(target: Target | undefined): Promise<ActionResult>;
  /** Recent log lines of the target (all when undefined). */
  logs(target: Target | undefined, query: LogQuery): Promise<LogsResult>;
  /** The listener first receives a snapshot, then live events. A slow listener must not block others. */
  subscribe(listener: (event: SupervisorEvent) => void, options?: SubscribeOptions): Unsubscribe;
  /** Stops everything gracefully, in reverse dependency order. */
  shutdown(reason: string): Promise<void>;
  /**
   * Changes to a running supervisor, as pm2 makes them. Optional: a viewer that cannot make them (a test
   * fake, an older peer) leaves them out and callers say so.
   */
  /** Adds an app (pm2's `start script.js`): its keys as in an ecosystem file, relative paths from `cwd`. */
  addApp?(app: Readonly<Record<string, unknown>>, cwd: string): Promise<ActionResult>;
  /** Stops an app and forgets it (pm2's `delete`). */
  deleteApp?(target: Target): Promise<ActionResult>;
  /** Adds or removes instances; the running ones are left alone. */
  scale?(app: string, change: ScaleChange): Promise<ActionResult>;
  /** Zeroes restart counters (pm2's `reset`). */
  reset?(target: Target): Promise<ActionResult>;
  /** Calls a method a plugin of the supervisor offers (the control protocol's `plugin` request); rejects when it fails. */
  callPlugin?(plugin: string, method: string, params?: unknown): Promise<unknown>;
  /** The plugins' columns and panels (their values travel on InstanceInfo.columns). */
  views?(): Promise<PluginViews>;
  /** A plugin panel's lines for `width` columns. */
  panel?(plugin: string, id: string, width: number): Promise<PanelResult>;
}
