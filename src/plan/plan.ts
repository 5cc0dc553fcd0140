import type { AppSpec } from '../model/app.js';
import { instanceId, parseInstanceId, type InstanceId } from '../model/ids.js';
import { topologicalOrder } from '../util/graph.js';
import { closest } from '../util/suggest.js';

export interface PlannedInstance {
  readonly id: InstanceId;
  readonly app: AppSpec;
  readonly index: number;
}

/** Every instance of every app, apps in dependency order. */
export function expandInstances(apps: readonly AppSpec[]): readonly PlannedInstance[] {
  return startOrder(apps).flatMap((app) => Array.from({ length: app.instances }, (_, index) => ({ id: instanceId(app.name, index), app, index })));
}

/** Apps with their dependencies first. */
export function startOrder(apps: readonly AppSpec[]): readonly AppSpec[] {
  const byName = new Map(apps.map((app) => [app.name, app]));
  const graph = new Map(apps.map((app) => [app.name, app.dependsOn.map((dep) => dep.app)]));
  return topologicalOrder(graph).map((name) => byName.get(name)).filter((app): app is AppSpec => app !== undefined);
}

/** Groups of apps that can stop together: dependents before what they depend on. */
export function stopLevels(apps: readonly AppSpec[]): readonly (readonly AppSpec[])[] {
  const depth = new Map<string, number>();
  const byName = new Map(apps.map((app) => [app.name, app]));
  const depthOf = (app: AppSpec, seen: ReadonlySet<string>): number => {
    const known = depth.get(app.name);
    if (known !== undefined) return known;
    let d = 0;
    for (const dep of app.dependsOn) {
      const target = byName.get(dep.app);
      if (target && !seen.has(target.name)) d = Math.max(d, depthOf(target, new Set([...seen, app.name])) + 1);
    }
    depth.set(app.name, d);
    return d;
  };
  const levels: AppSpec[][] = [];
  for (const app of apps) {
    const d = depthOf(app, new Set());
    (levels[d] ??= []).push(app);
  }
  return levels.filter((level) => level.length > 0).reverse();
}

export type TargetMatch =
  | { readonly ok: true; readonly ids: readonly InstanceId[] }
  | { readonly ok: false; readonly message: string };

/** 'all', an app name, `app:index`, or a namespace, in that order of precedence. */
export function matchTarget(target: string, instances: readonly PlannedInstance[]): TargetMatch {
  const wanted = target.trim();
  if (wanted === 'all') return { ok: true, ids: instances.map((i) => i.id) };
  const byApp = instances.filter((i) => i.app.name === wanted);
  if (byApp.length > 0) return { ok: true, ids: byApp.map((i) => i.id) };
  const parsed = parseInstanceId(wanted);
  if (parsed) {
    const one = instances.find((i) => i.app.name === parsed.app && i.index === parsed.index);
    if (one) return { ok: true, ids: [one.id] };
    const count = instances.filter((i) => i.app.name === parsed.app).length;
    if (count > 0) return { ok: false, message: `${parsed.app} has ${count} instance${count === 1 ? '' : 's'} (0-${count - 1}); there is no ${wanted}` };
  }
  const byNamespace = instances.filter((i) => i.app.namespace === wanted);
  if (byNamespace.length > 0) return { ok: true, ids: byNamespace.map((i) => i.id) };
  const names = [...new Set(instances.flatMap((i) => [i.app.name, i.app.namespace]))];
  const suggestion = closest(wanted, names);
  return { ok: false, message: `no app, instance or namespace named "${wanted}"${suggestion ? ` — did you mean "${suggestion}"?` : ''}` };
}
