import { formatPath, isPlainObject, type Segment } from './check.js';
import { describeValue, type Diagnostic } from './errors.js';
import { APP_KEYS } from './schema.js';
import { closest } from '../util/suggest.js';

/** pm2's alternative names for keys, mapped to the canonical key. */
const KEY_ALIASES: Readonly<Record<string, string>> = {
  cmd: 'script',
  command: 'script',
  exec: 'script',
  exec_interpreter: 'interpreter',
  output: 'out_file',
  out: 'out_file',
  out_log: 'out_file',
  error: 'error_file',
  err: 'error_file',
  err_file: 'error_file',
  err_log: 'error_file',
  log: 'log_file',
  pid: 'pid_file',
  cron: 'cron_restart',
  combine_logs: 'merge_logs',
  execMode: 'exec_mode',
  envFile: 'env_file',
};

const KNOWN_APP_KEYS = new Set(APP_KEYS);
const TOP_LEVEL_KEYS = ['apps', 'plugins', 'deploy', 'pm2'];

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The canonical key for what a user wrote, or undefined when it is not an app key. */
export function canonicalKey(key: string): string | undefined {
  if (KNOWN_APP_KEYS.has(key) && !(key in KEY_ALIASES)) return key;
  const alias = KEY_ALIASES[key];
  if (alias) return alias;
  const snake = snakeCase(key);
  if (KNOWN_APP_KEYS.has(snake)) return KEY_ALIASES[snake] ?? snake;
  if (/^env_.+/.test(key)) return key;
  return undefined;
}

export interface NormalizedApp {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Maps aliases and camelCase to pm2's snake_case keys; unknown keys become warnings with a suggestion. */
export function normalizeAppKeys(raw: Readonly<Record<string, unknown>>, at: readonly Segment[]): NormalizedApp {
  const fields: Record<string, unknown> = {};
  const writtenAs = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const canonical = canonicalKey(key);
    const path = formatPath([...at, key]);
    if (canonical === undefined) {
      const suggestion = closest(key, [...KNOWN_APP_KEYS, ...Object.keys(KEY_ALIASES)]);
      const hint = suggestion ? `did you mean "${canonicalKey(suggestion) ?? suggestion}"?` : undefined;
      diagnostics.push(hint ? { severity: 'warning', path, message: 'unknown key, ignored', hint } : { severity: 'warning', path, message: 'unknown key, ignored' });
      continue;
    }
    const earlier = writtenAs.get(canonical);
    if (earlier !== undefined) {
      diagnostics.push({ severity: 'warning', path, message: `"${key}" and "${earlier}" mean the same; using "${key}"`, hint: `remove one of them` });
    }
    writtenAs.set(canonical, key);
    fields[canonical] = value;
  }
  return { fields, diagnostics };
}

export interface ConfigShape {
  readonly apps: readonly unknown[];
  readonly plugins: unknown;
  readonly deploy: unknown;
  readonly diagnostics: readonly Diagnostic[];
}

const SHAPE_HINT = 'export { apps: [{ name, script }] }, an array of apps, or one app object';

/** Accepts every shape pm2 accepts: { apps }, a bare array of apps, or one app object (process.json). */
export function normalizeShape(value: unknown): ConfigShape | Diagnostic {
  if (Array.isArray(value)) return { apps: value, plugins: undefined, deploy: undefined, diagnostics: [] };
  if (!isPlainObject(value)) {
    return { severity: 'error', path: '', message: `expected an ecosystem config (an object with an apps array), got ${describeValue(value)}`, hint: SHAPE_HINT };
  }
  if (value.apps === undefined && (value.script !== undefined || value.cmd !== undefined || value.command !== undefined)) {
    return { apps: [value], plugins: undefined, deploy: undefined, diagnostics: [] };
  }
  if (value.apps === undefined && value.static !== undefined) {
    return { severity: 'error', path: 'static', message: "a 'pm2 serve' static file server config: that server is built into pm2, node-unit has none", hint: "serve the folder with a program of its own as an app, e.g. { name: 'static', script: 'npx', args: 'serve -l 8080 .' }" };
  }
  // pm2's API reads a legacy top-level `pm2: [...]` as the apps.
  if (value.apps === undefined && Array.isArray(value.pm2)) return normalizeShape({ ...value, apps: value.pm2, pm2: undefined });
  if (!Array.isArray(value.apps)) {
    return value.apps === undefined
      ? { severity: 'error', path: 'apps', message: 'missing: the config has no apps', hint: SHAPE_HINT }
      : { severity: 'error', path: 'apps', message: `expected an array of apps, got ${describeValue(value.apps)}`, hint: 'apps: [{ name: "api", script: "server.js" }]' };
  }
  const diagnostics: Diagnostic[] = [];
  if (value.deploy !== undefined) {
    diagnostics.push({ severity: 'warning', path: 'deploy', message: 'pm2 deploy section: only its <profile>.env blocks are used (with --env); the rest is ignored' });
  }
  for (const [key, held] of Object.entries(value)) {
    if (TOP_LEVEL_KEYS.includes(key) || held === undefined) continue;
    if (canonicalKey(key) !== undefined) {
      diagnostics.push({ severity: 'warning', path: key, message: 'this is an app option, ignored at the top level', hint: 'move it inside an app in apps' });
    } else {
      const suggestion = closest(key, TOP_LEVEL_KEYS);
      diagnostics.push({ severity: 'warning', path: key, message: 'unknown top-level key, ignored', hint: suggestion ? `did you mean "${suggestion}"?` : 'the top level takes apps, plugins and deploy' });
    }
  }
  return { apps: value.apps, plugins: value.plugins, deploy: value.deploy, diagnostics };
}
