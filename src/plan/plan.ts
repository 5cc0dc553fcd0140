import type { AppSpec } from '../model/app.js';
import { instanceId, type InstanceId } from '../model/ids.js';
import { HERE, selectInstances } from '../model/target.js';
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
  // The supervisor has no node part: routing `api@nas` is the caller's job, so the text is the selector as it is.
  const viewed = instances.map((i) => ({ id: i.id, app: i.app.name, index: i.index, namespace: i.app.namespace }));
  const match = selectInstances({ selector: target, node: HERE }, viewed, { suggest: closest });
  return match.ok ? { ok: true, ids: match.instances.map((i) => i.id) } : match;
}
