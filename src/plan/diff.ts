import type { AppSpec } from '../model/app.js';
import type { KeyChange, ReloadPlan } from '../model/controller.js';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Readonly<Record<string, unknown>>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function recordChanges(prefix: string, from: Readonly<Record<string, unknown>>, to: Readonly<Record<string, unknown>>): KeyChange[] {
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return keys.filter((key) => canonical(from[key]) !== canonical(to[key])).map((key) => ({ key: `${prefix}.${key}`, from: from[key], to: to[key] }));
}

/** Bookkeeping, not behaviour: never a reason to restart (where each variable came from shows as env.NAME when it matters). */
const NOT_BEHAVIOUR: ReadonlySet<string> = new Set(['written', 'adhoc', 'envSources']);
/** Written keys shown through the resolved env instead (env files and profiles feed it too). */
const ENV_SOURCES = (key: string): boolean => key === 'env' || key.startsWith('env_');

/** Key by key, what differs between two resolved specs; env and ports variable by variable. */
function specChanges(from: AppSpec, to: AppSpec): KeyChange[] {
  const changes: KeyChange[] = [];
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])] as (keyof AppSpec)[];
  for (const key of keys) {
    if (NOT_BEHAVIOUR.has(key)) continue;
    if (key === 'env' || key === 'ports') changes.push(...recordChanges(key, from[key], to[key]));
    else if (canonical(from[key]) !== canonical(to[key])) changes.push({ key, from: from[key], to: to[key] });
  }
  return changes;
}

/**
 * What differs, in the user's terms: the keys they wrote (defaults filled in are not shown), env variable by
 * variable. Specs with no record of what was written, or whose difference no written key explains (an env
 * file, the CPU count behind 'max'), fall back to the resolved keys.
 */
export function appChanges(from: AppSpec, to: AppSpec): readonly KeyChange[] {
  const resolved = specChanges(from, to);
  if (resolved.length === 0 || from.written === undefined || to.written === undefined) return resolved;
  const written = recordChanges('', from.written, to.written)
    .filter((change) => !ENV_SOURCES(change.key.slice(1)))
    .map((change) => ({ ...change, key: change.key.slice(1) }));
  const changes = [...recordChanges('env', from.env, to.env), ...written];
  return changes.length > 0 ? changes : resolved;
}

const writesMerge = (app: AppSpec): boolean => app.written !== undefined && ('merge_logs' in app.written || 'combine_logs' in app.written);

/** The spec without what a change of instance count alone moves (merge_logs follows the count unless written). */
function apartFromCount(app: AppSpec, ignoreMerge: boolean): string {
  const { instances: _count, logs, ...rest } = app;
  const behaviour = Object.fromEntries(Object.entries(rest).filter(([key]) => !NOT_BEHAVIOUR.has(key)));
  return canonical({ ...behaviour, logs: ignoreMerge ? { ...logs, merge: undefined } : logs });
}

/** How a reload brings a running app to its new spec: when only the instance count differs, by scaling. */
export function reloadAction(from: AppSpec, to: AppSpec): 'unchanged' | 'scale' | 'restart' {
  const ignoreMerge = !writesMerge(from) && !writesMerge(to);
  if (apartFromCount(from, ignoreMerge) !== apartFromCount(to, ignoreMerge)) return 'restart';
  return from.instances === to.instances ? 'unchanged' : 'scale';
}

/**
 * The spec a scaled app runs with: the new one, keeping the log layout its running instances opened with
 * (merge_logs derived from the count would otherwise move files under running processes).
 */
export function scaledSpec(from: AppSpec, to: AppSpec): AppSpec {
  return writesMerge(to) ? to : { ...to, logs: from.logs };
}

/** Pure: what a reload does. Apps are matched by name. */
export function diffApps(current: readonly AppSpec[], next: readonly AppSpec[]): ReloadPlan {
  const before = new Map(current.map((app) => [app.name, app]));
  const after = new Map(next.map((app) => [app.name, app]));
  const changed: { app: string; changes: readonly KeyChange[]; action: 'restart' | 'scale' }[] = [];
  const unchanged: string[] = [];
  for (const app of next) {
    const old = before.get(app.name);
    if (!old) continue;
    const action = reloadAction(old, app);
    if (action === 'unchanged') unchanged.push(app.name);
    else changed.push({ app: app.name, changes: appChanges(old, app), action });
  }
  return {
    added: next.filter((app) => !before.has(app.name)).map((app) => app.name),
    removed: current.filter((app) => !after.has(app.name)).map((app) => app.name),
    changed,
    unchanged,
  };
}
