/**
 * The resolved, validated description of one app: what the supervisor runs.
 * Built by config/ from an ecosystem file; every default is filled in and every path is absolute.
 */

export type ExecMode = 'fork' | 'cluster';

export type DependencyCondition = 'started' | 'ready' | 'completed';

export interface Dependency {
  readonly app: string;
  readonly condition: DependencyCondition;
}

export type ReadinessCheck =
  | { readonly kind: 'http'; readonly url: string; readonly status?: number }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number | string }
  | { readonly kind: 'exec'; readonly command: string }
  | { readonly kind: 'log'; readonly pattern: string };

export interface ReadinessSpec {
  readonly check: ReadinessCheck;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Failed probes tolerated before the instance is errored; 0 = keep trying. */
  readonly retries: number;
  readonly initialDelayMs: number;
}

export interface WatchSpec {
  /** Absolute paths to watch (folders or files). */
  readonly paths: readonly string[];
  /** Globs (picomatch) relative to the app's cwd, plus the built-in ignores. */
  readonly ignore: readonly string[];
  readonly delayMs: number;
  /** pm2's watch_options that chokidar knows (usePolling, interval, depth, awaitWriteFinish, …). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Recent lines kept per instance for viewers when log_buffer does not say. */
export const DEFAULT_LOG_BUFFER_LINES = 2000;

export interface LogSpec {
  /** Absolute path, or null when disabled ('/dev/null'). */
  readonly outFile: string | null;
  readonly errorFile: string | null;
  /** Combined stdout + stderr file, if any. */
  readonly combinedFile: string | null;
  /** Instances of the app share files (pm2's merge_logs). */
  readonly merge: boolean;
  /** Prefix each line in files with a timestamp. */
  readonly timestamp: boolean;
  readonly dateFormat: string | undefined;
  readonly maxSizeBytes: number | undefined;
  readonly maxFiles: number;
  /** Recent lines kept in memory per instance for viewers; the log pipeline's default when absent. */
  readonly bufferLines?: number;
  /** pm2's log_type 'json': each line in the files is {"message","timestamp","type","process_id","app_name"}. */
  readonly json?: boolean;
}

/** The layer a variable of an instance's environment came from (`describe` shows it). */
export type EnvSource =
  | { readonly kind: 'env_file'; readonly file: string }
  | { readonly kind: 'deploy'; readonly profile: string }
  | { readonly kind: 'env' }
  | { readonly kind: 'profile'; readonly profile: string }
  | { readonly kind: 'port' }
  | { readonly kind: 'inherited' }
  | { readonly kind: 'ports' }
  | { readonly kind: 'instance' }
  | { readonly kind: 'node-unit' };

export interface AppSpec {
  readonly name: string;
  readonly namespace: string;
  /** The script, executable or shell command line, as written. */
  readonly script: string;
  readonly args: readonly string[];
  /** undefined = chosen from the script (node for .js, bash for .sh, …). 'none' = run the script itself. */
  readonly interpreter: string | undefined;
  readonly interpreterArgs: readonly string[];
  /** A Node app's stdout/stderr pipes are written synchronously (blocking_stdio), so no line is lost on process.exit(). */
  readonly blockingStdio: boolean;
  readonly cwd: string;
  /** Variables from env_file, env and env_<profile>, layered in that order. Parent env is added at spawn. */
  readonly env: Readonly<Record<string, string>>;
  /** Where each variable of `env` came from. */
  readonly envSources: Readonly<Record<string, EnvSource>>;
  /** The env_file paths (absolute): read again at every start, so an edit takes effect at the next one. */
  readonly envFiles: readonly string[];
  /** Variables to drop from the inherited environment (pm2's filter_env). */
  readonly filterEnv: readonly string[] | boolean;
  readonly instances: number;
  readonly execMode: ExecMode;
  /** Per-instance incrementing variable (pm2's increment_var), if any. */
  readonly incrementVar: string | undefined;
  /** Name of the per-instance index variable; pm2's instance_var, NODE_APP_INSTANCE by default. */
  readonly instanceVar: string;
  readonly autostart: boolean;
  readonly autorestart: boolean;
  readonly maxRestarts: number;
  readonly minUptimeMs: number;
  readonly restartDelayMs: number;
  /** Initial delay of exponential backoff, or undefined when off. */
  readonly expBackoffRestartDelayMs: number | undefined;
  readonly stopExitCodes: readonly number[];
  readonly killTimeoutMs: number;
  readonly killSignal: NodeJS.Signals;
  readonly maxMemoryBytes: number | undefined;
  readonly cronRestart: string | undefined;
  readonly watch: WatchSpec | undefined;
  readonly waitReady: boolean;
  readonly listenTimeoutMs: number;
  readonly readiness: ReadinessSpec | undefined;
  readonly dependsOn: readonly Dependency[];
  /** Named ports: env variable name → port (0 = pick a free one at start). */
  readonly ports: Readonly<Record<string, number>>;
  /** Federation placement: a node name, a label selector, or 'all'. */
  readonly node: string | undefined;
  readonly logs: LogSpec;
  /** pm2's pid_file (absolute): each instance's pid is written to it, `-<index>` before `.pid`, and removed when it exits. */
  readonly pidFile?: string;
  /** The app's keys as the user wrote them (pm2's names), so a reload plan speaks in the user's terms. */
  readonly written?: Readonly<Record<string, unknown>>;
  /** Added to a running supervisor (`node-unit start script.js`), not read from the ecosystem file. */
  readonly adhoc?: boolean;
}
