import path from 'node:path';
import { APP_CHECKS, PM2_ONLY_KEYS, stringOrList, type CheckedApp } from './schema.js';
import { envVars, formatPath, isPlainObject, type Check, type Segment } from './check.js';
import { describeValue, type Diagnostic } from './errors.js';
import { normalizeAppKeys, normalizeShape } from './pm2-compat.js';
import type { Plugin } from '../model/plugin.js';
import { checkPlugins } from './plugins.js';
import { envAsPm2Does, pm2ServeProblem, unsetInPm2 } from './pm2-values.js';
import { findCycles } from '../util/graph.js';
import { closest } from '../util/suggest.js';

export interface ValidApp {
  /** Index in the config's apps array, for messages. */
  readonly index: number;
  readonly name: string;
  readonly fields: CheckedApp;
  /** env_<profile> blocks, by profile name. */
  readonly profiles: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The keys as written (pm2's canonical names), values untouched: what a reload plan shows. */
  readonly written: Readonly<Record<string, unknown>>;
}

export interface ValidConfig {
  readonly apps: readonly ValidApp[];
  readonly plugins: readonly Plugin[];
  /** pm2's deploy.<profile>.env blocks, by profile name. */
  readonly deployEnv: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface Validation {
  /** Undefined when any diagnostic is an error. */
  readonly config: ValidConfig | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** The name pm2 would give an app without one: the script's base name, extension dropped. */
export function defaultAppName(script: string): string {
  const first = script.trim().split(/\s+/)[0] ?? script;
  const base = path.basename(first);
  return base.replace(/\.(c|m)?(js|ts)$|\.(py|sh|rb|php|pl)$/, '') || base;
}

function withHint<T>(check: Check<T>, hint: string): Check<T> {
  return (v) => {
    const checked = check(v);
    return checked.ok ? checked : { ok: false, failures: checked.failures.map((f) => ({ ...f, hint })) };
  };
}

/** The name an app would get, even when some of its other keys are invalid; undefined when it has none. */
function declaredName(raw: unknown): DeclaredName | undefined {
  if (!isPlainObject(raw)) return undefined;
  const fields = normalizeAppKeys(raw, []).fields;
  if (typeof fields.name === 'string' && fields.name.trim() !== '') return { name: fields.name, named: true };
  return typeof fields.script === 'string' && fields.script.trim() !== '' ? { name: defaultAppName(fields.script), named: false } : undefined;
}

interface DeclaredName {
  readonly name: string;
  /** False when the name comes from the script. */
  readonly named: boolean;
}

function checkApp(raw: unknown, index: number, diagnostics: Diagnostic[]): ValidApp | undefined {
  const at: Segment[] = ['apps', index];
  if (!isPlainObject(raw)) {
    diagnostics.push({ severity: 'error', path: formatPath(at), message: `expected an app object, got ${describeValue(raw)}`, hint: '{ name: "api", script: "server.js" }' });
    return undefined;
  }
  const normalized = normalizeAppKeys(raw, at);
  diagnostics.push(...normalized.diagnostics);
  const fields: Record<string, unknown> = {};
  const profiles: Record<string, Readonly<Record<string, string>>> = {};
  let failed = false;
  const record = (key: string, check: Check<unknown>, value: unknown, store: (v: unknown) => void): void => {
    const checked = check(value);
    if (checked.ok) return store(checked.value);
    failed = true;
    for (const f of checked.failures) {
      diagnostics.push({ severity: 'error', path: formatPath([...at, key, ...f.at]), message: f.message, ...(f.hint ? { hint: f.hint } : {}) });
    }
  };
  for (const [key, written] of Object.entries(normalized.fields)) {
    const isEnv = key === 'env' || (key.startsWith('env_') && key !== 'env_file');
    const value = isEnv ? envAsPm2Does(written, [...at, key], diagnostics) : written;
    const check = key === 'env_file' ? stringOrList : isEnv ? envVars : (APP_CHECKS as Readonly<Record<string, Check<unknown>>>)[key];
    if (value === undefined || unsetInPm2(value, check)) continue;
    if (key.startsWith('env_') && key !== 'env_file') {
      // `env_files: ['.env']` is a misspelt env_file, not a profile named "files".
      const looksLikeEnvFile = !isPlainObject(value) && closest(key, ['env_file']) !== undefined;
      record(key, looksLikeEnvFile ? withHint(envVars, 'did you mean "env_file"?') : envVars, value, (v) => (profiles[key.slice(4)] = v as Readonly<Record<string, string>>));
      continue;
    }
    if (check) record(key, check, value, (v) => (fields[key] = v));
  }
  const serve = pm2ServeProblem(normalized.fields, at);
  if (serve) {
    diagnostics.push(serve);
    return undefined;
  }
  if (fields.script === undefined && !failed) {
    failed = true;
    diagnostics.push({ severity: 'error', path: formatPath([...at, 'script']), message: 'missing: every app needs a script', hint: 'script: "server.js" (a file, an executable, or a command like "npm")' });
  }
  if (failed || typeof fields.script !== 'string') return undefined;
  const app = fields as unknown as CheckedApp;
  const written = Object.fromEntries(Object.entries(normalized.fields).flatMap(([key, value]) => {
    const plain = plainData(value);
    return plain === undefined ? [] : [[key, plain]];
  }));
  return { index, name: app.name ?? defaultAppName(app.script), fields: app, profiles, written };
}

/**
 * A value as data that survives JSON (it travels to viewers and into a file written from what runs): a RegExp
 * or BigInt as its text, functions dropped, a value that cannot be written at all (a cycle) left out.
 */
function plainData(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value, (_key, inner: unknown) => (inner instanceof RegExp || typeof inner === 'bigint' ? String(inner) : inner));
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function deployEnvironments(raw: unknown): Readonly<Record<string, Readonly<Record<string, string>>>> {
  if (!isPlainObject(raw)) return {};
  const out: Record<string, Readonly<Record<string, string>>> = {};
  for (const [profile, block] of Object.entries(raw)) {
    if (!isPlainObject(block)) continue;
    const env = envVars(block.env);
    if (env.ok) out[profile] = env.value;
  }
  return out;
}

/** `declared` holds every app's name by index, also of apps with errors: duplicates among them are errors, and depending on them is not "unknown app". */
function checkNamesAndDependencies(apps: readonly ValidApp[], declared: ReadonlyMap<number, DeclaredName>, diagnostics: Diagnostic[]): void {
  const firstIndex = new Map<string, number>();
  for (const [index, { name, named }] of declared) {
    const first = firstIndex.get(name);
    if (first === undefined) {
      firstIndex.set(name, index);
      continue;
    }
    diagnostics.push({
      severity: 'error',
      path: formatPath(['apps', index, 'name']),
      message: `duplicate app name "${name}" (also apps[${first}])`,
      hint: named ? 'app names must be unique' : 'give each app a distinct name',
    });
  }
  const byName = new Map<string, ValidApp>();
  for (const app of apps) if (!byName.has(app.name)) byName.set(app.name, app);
  const names = [...firstIndex.keys()];
  for (const app of apps) {
    for (const dep of Object.keys(app.fields.depends_on ?? {})) {
      const where = formatPath(['apps', app.index, 'depends_on', dep]);
      if (dep === app.name) diagnostics.push({ severity: 'error', path: where, message: `"${app.name}" depends on itself`, hint: 'remove it from depends_on' });
      else if (!firstIndex.has(dep)) {
        const suggestion = closest(dep, names);
        diagnostics.push({ severity: 'error', path: where, message: `unknown app "${dep}"`, hint: suggestion ? `did you mean "${suggestion}"?` : `apps are: ${names.join(', ')}` });
      }
    }
  }
  const graph = new Map(apps.map((app) => [app.name, Object.keys(app.fields.depends_on ?? {}).filter((dep) => dep !== app.name)]));
  for (const cycle of findCycles(graph)) {
    const first = byName.get(cycle[0] ?? '');
    diagnostics.push({
      severity: 'error',
      path: first ? formatPath(['apps', first.index, 'depends_on']) : 'apps',
      message: `dependency cycle: ${cycle.join(' → ')}`,
      hint: 'remove one of these depends_on entries',
    });
  }
}

/** One warning per pm2-only key, also for apps with errors (their other problems are reported too). */
function warnPm2OnlyKeys(rawApps: readonly unknown[], diagnostics: Diagnostic[]): void {
  const seen = new Map<string, number[]>();
  rawApps.forEach((raw, index) => {
    if (!isPlainObject(raw)) return;
    for (const [key, value] of Object.entries(normalizeAppKeys(raw, []).fields)) if (value !== undefined && PM2_ONLY_KEYS.has(key)) seen.set(key, [...(seen.get(key) ?? []), index]);
  });
  for (const [key, holders] of seen) {
    const first = holders[0] ?? 0;
    const more = holders.length > 1 ? ` (also in ${holders.length - 1} more app${holders.length > 2 ? 's' : ''})` : '';
    diagnostics.push({ severity: 'warning', path: formatPath(['apps', first, key]), message: `pm2 option with no effect in node-unit, ignored${more}` });
  }
}

/** `node` is accepted and typed for placement, which the mesh does not do yet: saying so beats a silent drop. */
function warnPlacement(apps: readonly ValidApp[], diagnostics: Diagnostic[]): void {
  for (const app of apps) {
    if (app.fields.node !== undefined) diagnostics.push({ severity: 'warning', path: formatPath(['apps', app.index, 'node']), message: 'placement on other nodes is not supported yet; the app runs here' });
  }
}

/** Checks a loaded config value; reports every problem at once. */
export function validateConfig(value: unknown, options: { readonly json?: boolean } = {}): Validation {
  const shape = normalizeShape(value);
  if ('severity' in shape) return { config: undefined, diagnostics: [shape] };
  const diagnostics: Diagnostic[] = [...shape.diagnostics];
  if (shape.apps.length === 0) diagnostics.push({ severity: 'error', path: 'apps', message: 'the config has no apps', hint: 'add at least one app: { name: "api", script: "server.js" }' });
  const apps = shape.apps.map((raw, index) => checkApp(raw, index, diagnostics)).filter((app): app is ValidApp => app !== undefined);
  const declared = new Map<number, DeclaredName>();
  shape.apps.forEach((raw, index) => {
    const name = declaredName(raw);
    if (name !== undefined) declared.set(index, name);
  });
  checkNamesAndDependencies(apps, declared, diagnostics);
  warnPm2OnlyKeys(shape.apps, diagnostics);
  warnPlacement(apps, diagnostics);
  const plugins = checkPlugins(shape.plugins, diagnostics, { json: options.json === true });
  const hasError = diagnostics.some((d) => d.severity === 'error');
  return {
    config: hasError ? undefined : { apps, plugins, deployEnv: deployEnvironments(shape.deploy) },
    diagnostics,
  };
}
