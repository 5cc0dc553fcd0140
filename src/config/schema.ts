import type { AppConfig, DependencyConditionInput } from './types.js';
import type { DependencyCondition, ExecMode, ReadinessCheck } from '../model/app.js';
import {
  argList, byteSize, cronExpression, duration, envVars, exitCode, fail, flag, integer, isPlainObject, listOf, nonEmptyText,
  nonNegativeInteger, oneOf, oneOrMany, pass, port, recordOf, signalName, text, type Check, type Failure,
} from './check.js';

export type InstancesValue = number | 'max';

export interface ReadinessValue {
  readonly check: ReadinessCheck;
  readonly interval: number | undefined;
  readonly timeout: number | undefined;
  readonly retries: number | undefined;
  readonly initial_delay: number | undefined;
}

/** An app after every key passed its check, before defaults. */
export interface CheckedApp {
  readonly name?: string;
  readonly script: string;
  readonly args?: readonly string[];
  readonly cwd?: string;
  readonly interpreter?: string;
  readonly interpreter_args?: readonly string[];
  readonly node_args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly filter_env?: boolean | readonly string[];
  readonly instances?: InstancesValue;
  readonly exec_mode?: ExecMode;
  readonly instance_var?: string;
  readonly increment_var?: string;
  readonly autostart?: boolean;
  readonly autorestart?: boolean;
  readonly max_restarts?: number;
  readonly min_uptime?: number;
  readonly restart_delay?: number;
  readonly exp_backoff_restart_delay?: number;
  readonly stop_exit_codes?: readonly number[];
  readonly kill_timeout?: number;
  readonly kill_signal?: NodeJS.Signals;
  readonly max_memory_restart?: number;
  readonly cron_restart?: string;
  readonly watch?: boolean | readonly string[];
  readonly ignore_watch?: readonly string[];
  readonly watch_delay?: number;
  readonly watch_options?: Readonly<Record<string, unknown>>;
  readonly wait_ready?: boolean;
  readonly listen_timeout?: number;
  readonly out_file?: string;
  readonly error_file?: string;
  readonly log_file?: string | boolean;
  readonly merge_logs?: boolean;
  readonly combine_logs?: boolean;
  readonly time?: boolean;
  readonly log_date_format?: string;
  readonly log_max_size?: number;
  readonly log_max_files?: number;
  readonly log_buffer?: number;
  readonly blocking_stdio?: boolean;
  readonly namespace?: string;
  readonly port?: number;
  readonly depends_on?: Readonly<Record<string, DependencyCondition>>;
  readonly readiness?: ReadinessValue;
  readonly ports?: Readonly<Record<string, number>>;
  readonly node?: string;
  readonly image?: string;
  readonly vizion?: unknown;
  readonly pmx?: unknown;
  readonly automation?: unknown;
  readonly source_map_support?: unknown;
  readonly post_update?: unknown;
  readonly force?: unknown;
  readonly windowsHide?: unknown;
  readonly trace?: unknown;
  readonly treekill?: unknown;
  readonly shutdown_with_message?: unknown;
  readonly append_env_to_name?: boolean;
  readonly kill_retry_time?: unknown;
  readonly pid_file?: string;
  readonly log_type?: string;
}

type FixedKeys<T> = Exclude<keyof T, `env_${string}`>;
type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : { missing: Exclude<A, B>; extra: Exclude<B, A> };
/** Compile-time proof that the schema covers exactly the keys users can write. */
export const schemaMatchesTypes: SameKeys<FixedKeys<AppConfig>, FixedKeys<CheckedApp>> = true;

const instances: Check<InstancesValue> = (v) => {
  if (v === 'max') return pass('max');
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (Number.isInteger(n) && n >= -64 && n <= 4096) return pass(n === 0 ? 'max' : n);
  return fail('a number of instances, "max", 0 (all CPUs) or -1 (CPUs - 1)', v);
};

const watchValue: Check<boolean | readonly string[]> = (v) => {
  if (typeof v === 'boolean') return pass(v);
  if (typeof v === 'string' && v !== '') return pass([v]);
  if (Array.isArray(v)) return listOf(nonEmptyText, 'true, false, a path or an array of paths')(v);
  return fail('true, false, a path or an array of paths', v);
};

export const stringOrList: Check<readonly string[]> = oneOrMany(nonEmptyText, 'a string or an array of strings');

const filterEnv: Check<boolean | readonly string[]> = (v) =>
  typeof v === 'boolean' ? pass(v) : oneOrMany(nonEmptyText, 'true, false, or a list of variable names')(v);

const logFile: Check<string | boolean> = (v) => (typeof v === 'boolean' ? pass(v) : nonEmptyText(v));

const conditionCheck = oneOf<DependencyCondition>(['ready', 'started', 'completed'], {
  healthy: 'ready',
  service_healthy: 'ready',
  service_started: 'started',
  service_completed_successfully: 'completed',
  process_healthy: 'ready',
  process_started: 'started',
  process_completed_successfully: 'completed',
});

const dependsOn: Check<Readonly<Record<string, DependencyCondition>>> = (v) => {
  const expected = 'an app name, a list of app names, or an object like { api: "ready" }';
  if (typeof v === 'string' && v !== '') return pass({ [v]: 'ready' });
  if (Array.isArray(v)) {
    const names = listOf(nonEmptyText, expected)(v);
    return names.ok ? pass(Object.fromEntries(names.value.map((name) => [name, 'ready' as const]))) : names;
  }
  if (isPlainObject(v)) return recordOf(conditionCheck, expected)(v);
  return fail(expected, v);
};

const READINESS_KINDS = ['http', 'tcp', 'exec', 'log'] as const;
const READINESS_EXPECTED = 'an object with one of http, tcp, exec or log';

function readinessCheck(kind: (typeof READINESS_KINDS)[number], v: unknown): { check?: ReadinessCheck; failure?: Failure } {
  const bad = (expected: string): { failure: Failure } => ({ failure: { at: [kind], message: fail(expected, v).failures[0]?.message ?? '' } });
  switch (kind) {
    case 'http': {
      if (typeof v === 'string' && /^https?:\/\//.test(v)) return { check: { kind, url: v } };
      if (isPlainObject(v) && typeof v.url === 'string' && /^https?:\/\//.test(v.url)) {
        const status = v.status === undefined ? undefined : integer({ min: 100, max: 599, expected: 'an HTTP status' })(v.status);
        if (status && !status.ok) return bad('an HTTP status code (100-599)');
        return { check: status?.ok ? { kind, url: v.url, status: status.value } : { kind, url: v.url } };
      }
      return bad('a URL starting with http:// or https://');
    }
    case 'tcp': {
      const asPort = port(v);
      if (asPort.ok && asPort.value > 0) return { check: { kind, host: '127.0.0.1', port: asPort.value } };
      if (typeof v === 'string') {
        const match = /^(?:(.+):)?(\d+|\$\{?\w+\}?)$/.exec(v.trim());
        if (match?.[2]) return { check: { kind, host: match[1] ?? '127.0.0.1', port: /^\d+$/.test(match[2]) ? Number(match[2]) : match[2] } };
      }
      return bad('a port, "host:port", or "${PORT}"');
    }
    case 'exec':
      return typeof v === 'string' && v.trim() !== '' ? { check: { kind, command: v } } : bad('a command line');
    case 'log': {
      if (v instanceof RegExp) return { check: { kind, pattern: v.source } };
      if (typeof v !== 'string' || v === '') return bad('a regular expression (string or RegExp)');
      try {
        new RegExp(v);
        return { check: { kind, pattern: v } };
      } catch (error) {
        const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(error);
        return { failure: { at: [kind], message: fail('a valid regular expression', v).failures[0]?.message ?? '', hint: reason } };
      }
    }
  }
}

const readiness: Check<ReadinessValue> = (v) => {
  if (!isPlainObject(v)) return fail(READINESS_EXPECTED, v);
  const kinds = READINESS_KINDS.filter((kind) => v[kind] !== undefined);
  if (kinds.length !== 1) {
    return fail(READINESS_EXPECTED, v, kinds.length === 0 ? 'add e.g. { http: "http://127.0.0.1:3000/health" }' : `choose one of ${kinds.join(', ')}`);
  }
  const kind = kinds[0] as (typeof READINESS_KINDS)[number];
  const probe = readinessCheck(kind, v[kind]);
  const failures: Failure[] = probe.failure ? [probe.failure] : [];
  const timing = (key: string, check: Check<number>): number | undefined => {
    if (v[key] === undefined) return undefined;
    const checked = check(v[key]);
    if (checked.ok) return checked.value;
    failures.push(...checked.failures.map((f) => ({ ...f, at: [key, ...f.at] })));
    return undefined;
  };
  const value = {
    interval: timing('interval', duration),
    timeout: timing('timeout', duration),
    retries: timing('retries', nonNegativeInteger),
    initial_delay: timing('initial_delay', duration),
  };
  for (const key of Object.keys(v)) {
    if (![...READINESS_KINDS, 'interval', 'timeout', 'retries', 'initial_delay'].includes(key)) {
      failures.push({ at: [key], message: 'unknown key', hint: 'readiness takes http, tcp, exec or log, and interval, timeout, retries, initial_delay' });
    }
  }
  if (failures.length > 0 || !probe.check) return { ok: false, failures };
  return pass({ check: probe.check, ...value });
};

const anything: Check<unknown> = (v) => pass(v);

type CheckTable = { readonly [K in FixedKeys<CheckedApp>]-?: Check<Exclude<CheckedApp[K], undefined>> };

export const APP_CHECKS: CheckTable = {
  name: nonEmptyText,
  script: nonEmptyText,
  args: argList,
  cwd: nonEmptyText,
  interpreter: nonEmptyText,
  interpreter_args: argList,
  node_args: argList,
  env: envVars,
  filter_env: filterEnv,
  instances,
  exec_mode: oneOf<ExecMode>(['fork', 'cluster'], { fork_mode: 'fork', cluster_mode: 'cluster' }),
  instance_var: nonEmptyText,
  increment_var: nonEmptyText,
  autostart: flag,
  autorestart: flag,
  max_restarts: nonNegativeInteger,
  min_uptime: duration,
  restart_delay: duration,
  exp_backoff_restart_delay: duration,
  stop_exit_codes: oneOrMany(exitCode, 'an exit code or an array of exit codes'),
  kill_timeout: duration,
  kill_signal: signalName,
  max_memory_restart: byteSize,
  cron_restart: cronExpression,
  watch: watchValue,
  ignore_watch: stringOrList,
  watch_delay: duration,
  watch_options: recordOf(anything, 'an object of watcher options'),
  wait_ready: flag,
  listen_timeout: duration,
  out_file: nonEmptyText,
  error_file: nonEmptyText,
  log_file: logFile,
  merge_logs: flag,
  combine_logs: flag,
  time: flag,
  log_date_format: text,
  log_max_size: byteSize,
  log_max_files: integer({ min: 1, max: 1000, expected: 'a number of files (1-1000)' }),
  log_buffer: integer({ min: 10, max: 100_000, expected: 'a number of lines (10-100000)' }),
  blocking_stdio: flag,
  namespace: nonEmptyText,
  port: integer({ min: 1, max: 65535, expected: 'a port number (1-65535)' }),
  depends_on: dependsOn,
  readiness,
  ports: recordOf(port, 'an object of named ports, like { http: 3000 }'),
  node: nonEmptyText,
  image: nonEmptyText,
  vizion: anything,
  pmx: anything,
  automation: anything,
  source_map_support: anything,
  post_update: anything,
  force: anything,
  windowsHide: anything,
  trace: anything,
  treekill: anything,
  shutdown_with_message: anything,
  append_env_to_name: flag,
  kill_retry_time: anything,
  pid_file: nonEmptyText,
  log_type: text,
};

export const APP_KEYS: readonly string[] = Object.keys(APP_CHECKS);

/** pm2 keys accepted for compatibility that change nothing here. */
export const PM2_ONLY_KEYS: ReadonlySet<string> = new Set([
  'vizion', 'pmx', 'automation', 'source_map_support', 'post_update', 'force', 'windowsHide', 'trace', 'treekill',
  'shutdown_with_message', 'kill_retry_time',
]);

export type { DependencyConditionInput };
