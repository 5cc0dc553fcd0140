import type { AppSpec } from '../model/app.js';
import type { ReloadPlan, ScaleChange } from '../model/controller.js';
import { diffApps, scaledSpec } from './diff.js';

/** keep: same processes (the spec is taken as is); scale: keep the instances that stay, add or stop the rest; replace: new processes. */
export type AppAction = 'keep' | 'scale' | 'replace';

export interface ConfigReload {
  readonly plan: ReloadPlan;
  /** Config apps that take the place of an app added at run time, said as a warning. */
  readonly warnings: readonly string[];
  /** The apps after the reload: the config's, then those added at run time that stay. */
  readonly next: readonly AppSpec[];
  readonly actions: ReadonlyMap<string, AppAction>;
}

/** Pure: what a config reload does. Apps added at run time are left alone unless the config takes their name. */
export function planConfigReload(current: readonly AppSpec[], loaded: readonly AppSpec[]): ConfigReload {
  const before = new Map(current.map((app) => [app.name, app]));
  const plan = diffApps(current.filter((app) => !app.adhoc), loaded);
  const takenOver = loaded.filter((app) => before.get(app.name)?.adhoc).map((app) => app.name);
  const actions = new Map<string, AppAction>([
    ...plan.changed.map((change): [string, AppAction] => [change.app, change.action === 'scale' ? 'scale' : 'replace']),
    ...takenOver.map((name): [string, AppAction] => [name, 'replace']),
  ]);
  const fromConfig = loaded.map((app) => {
    const old = before.get(app.name);
    return old && actions.get(app.name) === 'scale' ? scaledSpec(old, app) : app;
  });
  return {
    plan,
    warnings: takenOver.map((name) => `the config file's app "${name}" takes the place of the "${name}" started with 'node-unit start'`),
    next: [...fromConfig, ...current.filter((app) => app.adhoc && !takenOver.includes(app.name))],
    actions,
  };
}

/** pm2's --update-env: the named apps take the env the config gives them now; apps it does not have keep theirs. */
export function withFreshEnv(current: readonly AppSpec[], loaded: readonly AppSpec[], names: ReadonlySet<string>): { readonly apps: readonly AppSpec[]; readonly missing: readonly string[] } {
  const fresh = new Map(loaded.map((app) => [app.name, app.env]));
  const apps = current.map((app) => {
    const env = names.has(app.name) && !app.adhoc ? fresh.get(app.name) : undefined;
    return env ? { ...app, env } : app;
  });
  const missing = current.filter((app) => names.has(app.name) && (app.adhoc || !fresh.has(app.name))).map((app) => app.name);
  return { apps, missing };
}

export type Resized = { readonly ok: true; readonly spec: AppSpec } | { readonly ok: false; readonly message: string };

/** Most instances an app may have, as in the config's `instances`. */
export const MAX_INSTANCES = 4096;

/** The app's spec at its new instance count, or why that count cannot be. */
export function resized(app: AppSpec, change: ScaleChange): Resized {
  const count = change.kind === 'to' ? change.count : app.instances + change.delta;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_INSTANCES) {
    return { ok: false, message: `${app.name} cannot have ${count} instances (it has ${app.instances}); scale takes 1 to ${MAX_INSTANCES} — use 'stop' or 'delete' for none` };
  }
  const written = app.written === undefined ? undefined : { ...app.written, instances: count };
  return { ok: true, spec: written === undefined ? { ...app, instances: count } : { ...app, instances: count, written } };
}
