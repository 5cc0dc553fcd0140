/**
 * The ecosystem file as users write it: pm2's keys and meanings, plus node-unit's additions.
 * These are input types; config/resolve turns them into model/app AppSpec.
 */
import type { Plugin } from '../model/plugin.js';

/** A duration: milliseconds, or a string such as '500ms', '10s', '1m', '1h'. */
export type Duration = number | `${number}` | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

/** A size: bytes, or a string such as '512K', '150M', '1G' (a trailing 'B' is accepted). */
export type ByteSize = number | `${number}` | `${number}${'K' | 'M' | 'G' | 'T' | 'k' | 'm' | 'g' | 't'}${'' | 'B' | 'b' | 'iB' | 'ib'}`;

/** Arguments: a string split like a shell would (quotes honoured), or an array. */
export type ArgList = string | readonly string[];

export type EnvValue = string | number | boolean | null | undefined;
export type EnvVars = Readonly<Record<string, EnvValue>>;

export type DependencyConditionInput = 'started' | 'ready' | 'completed';

export interface ReadinessTiming {
  /** Time between probes. Default 500 ms. */
  readonly interval?: Duration;
  /** Time one probe may take. Default 2 s. */
  readonly timeout?: Duration;
  /** Failed probes before the instance is errored; 0 = keep trying. Default 60. */
  readonly retries?: number;
  /** Wait before the first probe. Default 0. */
  readonly initial_delay?: Duration;
}

type ProbeKind = 'http' | 'tcp' | 'exec' | 'log';
/** Exactly one probe kind: the others are typed `never`, so `{ http, tcp }` does not compile. */
type OneProbe<K extends ProbeKind, V> = ReadinessTiming & { readonly [P in K]: V } & { readonly [P in Exclude<ProbeKind, K>]?: never };

export type ReadinessConfig =
  | OneProbe<'http', string | { readonly url: string; readonly status?: number }>
  | OneProbe<'tcp', number | string>
  | OneProbe<'exec', string>
  | OneProbe<'log', string | RegExp>;

export interface AppConfig {
  /** The app's name; defaults to the script's base name. */
  readonly name?: string;
  /** A JS file (run with the current node), any executable, a command on PATH, or a shell command line. */
  readonly script: string;
  /** Arguments passed to the script. */
  readonly args?: ArgList;
  /** Working folder; relative paths resolve against the config file's folder. */
  readonly cwd?: string;
  /** Program that runs the script ('node', 'bash', 'python3', 'none' to run it directly). */
  readonly interpreter?: string;
  /** Arguments for the interpreter (pm2's node_args is the same key). */
  readonly interpreter_args?: ArgList;
  readonly node_args?: ArgList;
  /** Environment variables for every start. */
  readonly env?: EnvVars;
  /** One or more dotenv files, layered under `env`. */
  readonly env_file?: string | readonly string[];
  /** Drop inherited variables: true drops all, a list drops those. */
  readonly filter_env?: boolean | readonly string[];
  /** Number of instances; 'max' or 0 = one per CPU, -1 = CPUs - 1. */
  readonly instances?: number | 'max' | `${number}`;
  /** 'cluster' shares a listening port between node instances; defaults to cluster when instances is set. */
  readonly exec_mode?: 'fork' | 'cluster' | 'fork_mode' | 'cluster_mode';
  /** Variable holding the instance index. Default NODE_APP_INSTANCE. */
  readonly instance_var?: string;
  /** Variable incremented per instance (e.g. 'PORT'). */
  readonly increment_var?: string;
  /** Start with `up`. Default true. */
  readonly autostart?: boolean;
  /** Restart when the process exits. Default true. */
  readonly autorestart?: boolean;
  /** Restarts within min_uptime before the app is errored. Default 16. */
  readonly max_restarts?: number;
  /** A run shorter than this counts as unstable. Default 1000 ms. */
  readonly min_uptime?: Duration;
  /** Fixed wait before a restart. Default 0. */
  readonly restart_delay?: Duration;
  /** Initial delay of an exponential backoff (×1.5 up to 15 s). */
  readonly exp_backoff_restart_delay?: Duration;
  /** Exit codes that do not trigger a restart. */
  readonly stop_exit_codes?: number | readonly number[];
  /** Time between the stop signal and SIGKILL. Default 1600 ms. */
  readonly kill_timeout?: Duration;
  /** Signal sent to stop. Default SIGINT (as pm2). */
  readonly kill_signal?: string;
  /** Restart when the process tree uses more memory than this. */
  readonly max_memory_restart?: ByteSize;
  /** Restart on a cron schedule (5 or 6 fields). */
  readonly cron_restart?: string;
  /** Restart on file changes: true (the cwd), a path, or paths. */
  readonly watch?: boolean | string | readonly string[];
  /** Globs to ignore when watching. */
  readonly ignore_watch?: string | readonly string[];
  /** Debounce of watch restarts. Default 1000 ms. */
  readonly watch_delay?: Duration;
  /** pm2's chokidar options: accepted for compatibility, not used (warned). */
  readonly watch_options?: Readonly<Record<string, unknown>>;
  /** The app calls process.send('ready') when ready. */
  readonly wait_ready?: boolean;
  /** How long to wait for 'ready' before giving up. Default 3000 ms. */
  readonly listen_timeout?: Duration;
  /** stdout log file; '/dev/null' disables it. */
  readonly out_file?: string;
  /** stderr log file; '/dev/null' disables it. */
  readonly error_file?: string;
  /** Combined stdout + stderr log file. */
  readonly log_file?: string | boolean;
  /** Instances share log files. */
  readonly merge_logs?: boolean;
  readonly combine_logs?: boolean;
  /** Prefix log file lines with a timestamp. */
  readonly time?: boolean;
  /** Timestamp format for log files (e.g. 'YYYY-MM-DD HH:mm:ss Z'). */
  readonly log_date_format?: string;
  /** Rotate a log file when it grows past this size. */
  readonly log_max_size?: ByteSize;
  /** Rotated files kept. Default 10. */
  readonly log_max_files?: number;
  /** Recent lines the supervisor keeps per instance for `logs` and for viewers that connect (at most 4 MiB). Default 2000. */
  readonly log_buffer?: number;
  /** Group of apps addressable as one target. Default 'default'. */
  readonly namespace?: string;
  /** Sets env.PORT. */
  readonly port?: number;
  /** Start after these apps reach a condition ('ready' when given as a list). */
  readonly depends_on?: string | readonly string[] | Readonly<Record<string, DependencyConditionInput>>;
  /** The instance is online only once this probe passes. */
  readonly readiness?: ReadinessConfig;
  /** Named ports injected as env (`http` → HTTP_PORT); 0 picks a free port. */
  readonly ports?: Readonly<Record<string, number>>;
  /** Federation placement: a node name, a label selector ('role=db') or 'all'. */
  readonly node?: string;
  /** pm2 keys with no meaning here; accepted with a warning. */
  readonly vizion?: boolean;
  readonly pmx?: boolean;
  readonly automation?: boolean;
  readonly source_map_support?: boolean;
  readonly post_update?: readonly string[];
  readonly force?: boolean;
  readonly windowsHide?: boolean;
  readonly trace?: boolean;
  readonly treekill?: boolean;
  readonly shutdown_with_message?: boolean;
  readonly append_env_to_name?: boolean;
  readonly kill_retry_time?: number;
  readonly pid_file?: string;
  readonly log_type?: string;
  /** Per-profile environments: env_production, env_staging … selected with --env. */
  readonly [profile: `env_${string}`]: EnvVars | string | readonly string[] | boolean | undefined;
}

export interface EcosystemConfig {
  readonly apps: readonly AppConfig[];
  /** Plugins, run in this order (definePlugin types one; `federation()` from 'node-unit/federation' is one). */
  readonly plugins?: readonly Plugin[];
  /** pm2's deploy section: accepted, not used. */
  readonly deploy?: Readonly<Record<string, unknown>>;
}

/** What a config function receives. */
export interface ConfigContext {
  /** The profile chosen with --env, if any. */
  readonly profile: string | undefined;
  /** The supervisor's environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The folder holding the config file. */
  readonly configDir: string;
}

export type ConfigInput =
  | EcosystemConfig
  | Promise<EcosystemConfig>
  | ((context: ConfigContext) => EcosystemConfig | Promise<EcosystemConfig>);
