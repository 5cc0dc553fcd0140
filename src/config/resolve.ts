import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_LOG_BUFFER_LINES, type AppSpec, type Dependency, type EnvSource, type LogSpec, type ReadinessSpec, type WatchSpec } from '../model/app.js';
import type { Diagnostic } from './errors.js';
import { formatPath } from './check.js';
import type { CheckedApp, InstancesValue, ReadinessValue } from './schema.js';
import type { ValidApp, ValidConfig } from './validate.js';
import { parseDotenv } from '../util/dotenv.js';
import { watcherOptions } from './watch-options.js';

/** pm2's defaults, where pm2 has one. */
export const DEFAULTS = {
  maxRestarts: 16,
  minUptimeMs: 1000,
  restartDelayMs: 0,
  killTimeoutMs: 1600,
  killSignal: 'SIGINT',
  listenTimeoutMs: 3000,
  watchDelayMs: 1000,
  namespace: 'default',
  instanceVar: 'NODE_APP_INSTANCE',
  logMaxFiles: 10,
  readinessIntervalMs: 500,
  readinessTimeoutMs: 2000,
  readinessRetries: 60,
  dateFormat: 'YYYY-MM-DDTHH:mm:ss.SSSZ',
} as const;

/** Ignored by every watcher: dependencies, VCS data and our own state (logs, sockets). */
export const DEFAULT_WATCH_IGNORES: readonly string[] = ['**/node_modules/**', '**/.git/**', '**/.node-unit/**', '**/*.log'];

export interface ResolveOptions {
  readonly configDir: string;
  readonly stateDir: string;
  readonly profile: string | undefined;
  readonly cpuCount?: number;
}

export interface Resolution {
  readonly apps: readonly AppSpec[];
  readonly diagnostics: readonly Diagnostic[];
}

const NODE_SCRIPT = /\.(c|m)?js$/;

export function instanceCount(value: InstancesValue | undefined, cpus: number): number {
  if (value === undefined) return 1;
  if (value === 'max') return cpus;
  return value > 0 ? value : Math.max(1, cpus + value);
}

function fileName(name: string): string {
  return name.replace(/[^\w.-]+/g, '-');
}

function logPath(value: string | undefined, fallback: string, configDir: string): string | null {
  if (value === '/dev/null' || value === 'NULL') return null;
  return value === undefined ? fallback : path.resolve(configDir, value);
}

function resolveLogs(app: CheckedApp, name: string, options: ResolveOptions, instances: number): LogSpec {
  const base = path.join(options.stateDir, 'logs', fileName(name));
  const combined = app.log_file === true ? `${base}.log` : typeof app.log_file === 'string' ? logPath(app.log_file, `${base}.log`, options.configDir) : null;
  return {
    outFile: logPath(app.out_file, `${base}-out.log`, options.configDir),
    errorFile: logPath(app.error_file, `${base}-error.log`, options.configDir),
    combinedFile: combined,
    merge: app.merge_logs ?? instances === 1,
    timestamp: app.time === true || (app.log_date_format !== undefined && app.log_date_format !== ''),
    dateFormat: app.time === true ? DEFAULTS.dateFormat : app.log_date_format || undefined,
    maxSizeBytes: app.log_max_size,
    maxFiles: app.log_max_files ?? DEFAULTS.logMaxFiles,
    bufferLines: app.log_buffer ?? DEFAULT_LOG_BUFFER_LINES,
    ...(app.log_type === 'json' ? { json: true } : {}),
  };
}

function resolveWatch(app: ValidApp, cwd: string, diagnostics: Diagnostic[]): WatchSpec | undefined {
  const f = app.fields;
  if (f.watch === undefined || f.watch === false) return undefined;
  const paths = f.watch === true ? [cwd] : f.watch.map((p) => path.resolve(cwd, p));
  const options = watcherOptions(f.watch_options, ['apps', app.index, 'watch_options'], diagnostics);
  const ignore = [...DEFAULT_WATCH_IGNORES, ...(f.ignore_watch ?? []), ...options.ignored];
  const spec = { paths, ignore, delayMs: f.watch_delay ?? DEFAULTS.watchDelayMs };
  return Object.keys(options.passed).length > 0 ? { ...spec, options: options.passed } : spec;
}

function resolveReadiness(value: ReadinessValue | undefined): ReadinessSpec | undefined {
  if (!value) return undefined;
  return {
    check: value.check,
    intervalMs: value.interval ?? DEFAULTS.readinessIntervalMs,
    timeoutMs: value.timeout ?? DEFAULTS.readinessTimeoutMs,
    retries: value.retries ?? DEFAULTS.readinessRetries,
    initialDelayMs: value.initial_delay ?? 0,
  };
}

/** `http` → HTTP_PORT, `PORT` → PORT, `admin-api` → ADMIN_API_PORT. */
export function portVariable(name: string): string {
  const upper = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return /(^|_)PORT$/.test(upper) ? upper : `${upper}_PORT`;
}

function envFilesOf(app: ValidApp, options: ResolveOptions): readonly string[] {
  const files = (app.fields as { readonly env_file?: readonly string[] }).env_file ?? [];
  return files.map((file) => path.resolve(options.configDir, file));
}

/** Each variable of the env files with the file it came from (a later file wins). */
function readEnvFiles(app: ValidApp, options: ResolveOptions, diagnostics: Diagnostic[]): Record<string, { readonly value: string; readonly file: string }> {
  const files = (app.fields as { readonly env_file?: readonly string[] }).env_file ?? [];
  const vars: Record<string, { value: string; file: string }> = {};
  files.forEach((file, i) => {
    const where = formatPath(['apps', app.index, 'env_file', ...(files.length > 1 ? [i] : [])]);
    const full = path.resolve(options.configDir, file);
    let source: string;
    try {
      source = fs.readFileSync(full, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      diagnostics.push({ severity: 'error', path: where, message: `cannot read ${full}: ${code === 'ENOENT' ? 'no such file' : String(code ?? error)}`, hint: 'create the file or remove it from env_file' });
      return;
    }
    const parsed = parseDotenv(source);
    if (parsed.ok) for (const [name, value] of Object.entries(parsed.vars)) vars[name] = { value, file: full };
    else diagnostics.push({ severity: 'error', path: where, message: `${full}:${parsed.line}: ${parsed.error}` });
  });
  return vars;
}

/** The app's variables, layered env_file < deploy env_<profile> < env < env_<profile> < port, each with its layer. */
function resolveEnv(app: ValidApp, config: ValidConfig, options: ResolveOptions, diagnostics: Diagnostic[]): { readonly env: Record<string, string>; readonly sources: Record<string, EnvSource> } {
  const profile = options.profile;
  const env: Record<string, string> = {};
  const sources: Record<string, EnvSource> = {};
  const layer = (vars: Readonly<Record<string, string>> | undefined, source: EnvSource): void => {
    for (const [name, value] of Object.entries(vars ?? {})) {
      env[name] = value;
      sources[name] = source;
    }
  };
  for (const [name, { value, file }] of Object.entries(readEnvFiles(app, options, diagnostics))) layer({ [name]: value }, { kind: 'env_file', file });
  if (profile) layer(config.deployEnv[profile], { kind: 'deploy', profile });
  layer(app.fields.env, { kind: 'env' });
  if (profile) layer(app.profiles[profile], { kind: 'profile', profile });
  if (app.fields.port !== undefined) layer({ PORT: String(app.fields.port) }, { kind: 'port' });
  return { env, sources };
}

/** pm2's append_env_to_name renames an app `<name>-<profile>`; dependencies follow the rename. */
function finalName(app: ValidApp | undefined, config: ValidConfig, profile: string | undefined): string {
  if (!app) return '';
  return app.fields.append_env_to_name && profile ? `${app.name}-${profile}` : app.name;
}

function resolveApp(app: ValidApp, config: ValidConfig, options: ResolveOptions, diagnostics: Diagnostic[]): AppSpec {
  const f = app.fields;
  const cpus = options.cpuCount ?? os.availableParallelism();
  const cwd = path.resolve(options.configDir, f.cwd ?? '.');
  const instances = instanceCount(f.instances, cpus);
  const runsOnNode = (f.interpreter === undefined || f.interpreter === 'node') && NODE_SCRIPT.test(f.script) && !/\s/.test(f.script.trim());
  const execMode = f.exec_mode ?? (f.instances !== undefined && runsOnNode ? 'cluster' : 'fork');
  if (execMode === 'cluster' && !runsOnNode) {
    diagnostics.push({
      severity: 'warning',
      path: formatPath(['apps', app.index, 'exec_mode']),
      message: `cluster mode needs a node script; "${f.script}" runs in fork mode`,
      hint: 'remove exec_mode, or point script at a .js file',
    });
  }
  const name = finalName(app, config, options.profile);
  const dependsOn: Dependency[] = Object.entries(f.depends_on ?? {}).map(([dep, condition]) => ({
    app: finalName(config.apps.find((other) => other.name === dep), config, options.profile) || dep,
    condition,
  }));
  const ports: Record<string, number> = {};
  for (const [portName, value] of Object.entries(f.ports ?? {})) ports[portVariable(portName)] = value;
  const layers = resolveEnv(app, config, options, diagnostics);
  return {
    name,
    namespace: f.namespace ?? DEFAULTS.namespace,
    script: f.script,
    args: f.args ?? [],
    interpreter: f.interpreter,
    interpreterArgs: f.interpreter_args ?? f.node_args ?? [],
    cwd,
    env: layers.env,
    envSources: layers.sources,
    envFiles: envFilesOf(app, options),
    filterEnv: f.filter_env ?? false,
    instances,
    execMode: execMode === 'cluster' && !runsOnNode ? 'fork' : execMode,
    incrementVar: f.increment_var,
    instanceVar: f.instance_var ?? DEFAULTS.instanceVar,
    autostart: f.autostart ?? true,
    autorestart: f.autorestart ?? true,
    maxRestarts: f.max_restarts ?? DEFAULTS.maxRestarts,
    minUptimeMs: f.min_uptime ?? DEFAULTS.minUptimeMs,
    restartDelayMs: f.restart_delay ?? DEFAULTS.restartDelayMs,
    expBackoffRestartDelayMs: f.exp_backoff_restart_delay || undefined,
    stopExitCodes: f.stop_exit_codes ?? [],
    killTimeoutMs: f.kill_timeout ?? DEFAULTS.killTimeoutMs,
    killSignal: f.kill_signal ?? DEFAULTS.killSignal,
    maxMemoryBytes: f.max_memory_restart,
    cronRestart: f.cron_restart,
    watch: resolveWatch(app, cwd, diagnostics),
    waitReady: f.wait_ready ?? false,
    blockingStdio: f.blocking_stdio ?? true,
    listenTimeoutMs: f.listen_timeout ?? DEFAULTS.listenTimeoutMs,
    readiness: resolveReadiness(f.readiness),
    dependsOn,
    ports,
    node: f.node,
    logs: resolveLogs(f, name, options, instances),
    written: app.written,
    ...(f.pid_file === undefined ? {} : { pidFile: path.resolve(options.configDir, f.pid_file) }),
  };
}

/** Fills defaults and resolves paths; reads env files. */
export function resolveConfig(config: ValidConfig, options: ResolveOptions): Resolution {
  const diagnostics: Diagnostic[] = [];
  const apps = config.apps.map((app) => resolveApp(app, config, options, diagnostics));
  if (options.profile && !config.apps.some((app) => app.profiles[options.profile ?? ''] !== undefined) && !config.deployEnv[options.profile]) {
    diagnostics.push({ severity: 'warning', path: '', message: `no app has env_${options.profile}`, hint: `only env_<profile> blocks (and deploy.<profile>.env) are selected by --env ${options.profile}` });
  }
  return { apps, diagnostics };
}
