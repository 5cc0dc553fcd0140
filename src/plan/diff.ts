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

/** Key by key, what differs between two specs of one app; env and ports variable by variable. */
export function appChanges(from: AppSpec, to: AppSpec): readonly KeyChange[] {
  const changes: KeyChange[] = [];
  for (const key of Object.keys(to) as (keyof AppSpec)[]) {
    // Where each variable came from is bookkeeping: a change that matters shows as env.NAME.
    if (key === 'envSources') continue;
    if (key === 'env' || key === 'ports') changes.push(...recordChanges(key, from[key], to[key]));
    else if (canonical(from[key]) !== canonical(to[key])) changes.push({ key, from: from[key], to: to[key] });
  }
  return changes;
}

/** Pure: what a reload does. Apps are matched by name. */
export function diffApps(current: readonly AppSpec[], next: readonly AppSpec[]): ReloadPlan {
  const before = new Map(current.map((app) => [app.name, app]));
  const after = new Map(next.map((app) => [app.name, app]));
  const changed: { app: string; changes: readonly KeyChange[] }[] = [];
  const unchanged: string[] = [];
  for (const app of next) {
    const old = before.get(app.name);
    if (!old) continue;
    const changes = appChanges(old, app);
    if (changes.length > 0) changed.push({ app: app.name, changes });
    else unchanged.push(app.name);
  }
  return {
    added: next.filter((app) => !before.has(app.name)).map((app) => app.name),
    removed: current.filter((app) => !after.has(app.name)).map((app) => app.name),
    changed,
    unchanged,
  };
}
