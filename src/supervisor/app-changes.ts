import type { AppSpec } from '../model/app.js';
import type { InstanceId } from '../model/ids.js';
import { expandInstances } from '../plan/plan.js';
import type { AppAction } from '../plan/reload.js';
import type { InstanceRunner } from './instance.js';

/**
 * One mechanism for every change to the set of running apps: a config reload, `scale`, `start script.js`,
 * `delete`. Each says what the apps should be and how each app gets there; instances that need not change
 * keep running untouched.
 */

/** What the supervisor lends a change: its apps and runners, and how to create, stop and launch them. */
export interface Fleet {
  readonly apps: readonly AppSpec[];
  readonly runners: ReadonlyMap<InstanceId, InstanceRunner>;
  replace(apps: readonly AppSpec[], runners: Map<InstanceId, InstanceRunner>): void;
  create(app: AppSpec, index: number): InstanceRunner;
  stop(runners: readonly InstanceRunner[], apps: readonly AppSpec[]): Promise<void>;
  launch(runners: readonly InstanceRunner[]): void;
}

function samePorts(a: AppSpec, b: AppSpec): boolean {
  return JSON.stringify(Object.entries(a.ports).sort()) === JSON.stringify(Object.entries(b.ports).sort());
}

/** Runners that end: their app is gone or replaced, or their index is past a scaled app's new count. */
function leavingRunners(fleet: Fleet, next: ReadonlyMap<string, AppSpec>, actionOf: (name: string) => AppAction): InstanceRunner[] {
  return [...fleet.runners.values()].filter((runner) => {
    const target = next.get(runner.app.name);
    if (!target) return true;
    const action = actionOf(runner.app.name);
    return action === 'replace' || (action === 'scale' && runner.index >= target.instances);
  });
}

/** Brings the running apps to `next`. Apps not named in `actions` and present before are kept; new ones start. */
export async function applyApps(fleet: Fleet, next: readonly AppSpec[], actions: ReadonlyMap<string, AppAction>): Promise<readonly InstanceId[]> {
  const before = new Map(fleet.apps.map((app) => [app.name, app]));
  const byName = new Map(next.map((app) => [app.name, app]));
  const actionOf = (name: string): AppAction => (before.has(name) ? (actions.get(name) ?? 'keep') : 'replace');
  const wanted = new Set([...fleet.runners.values()].filter((runner) => runner.wantsToRun).map((runner) => runner.app.name));
  const leaving = leavingRunners(fleet, byName, actionOf);
  const leavingApps = new Set(leaving.map((runner) => runner.app.name));
  await fleet.stop(leaving, fleet.apps.filter((app) => leavingApps.has(app.name)));
  const gone = new Set(leaving);
  const runners = new Map<InstanceId, InstanceRunner>();
  const fresh: InstanceRunner[] = [];
  for (const planned of expandInstances(next)) {
    const old = fleet.runners.get(planned.id);
    if (old && !gone.has(old)) {
      old.adopt(planned.app);
      runners.set(planned.id, old);
      continue;
    }
    const runner = fleet.create(planned.app, planned.index);
    const previous = before.get(planned.app.name);
    if (old && previous) runner.inherit(old, { ports: samePorts(previous, planned.app) });
    runners.set(planned.id, runner);
    if (wanted.has(planned.app.name) || (!previous && planned.app.autostart)) fresh.push(runner);
  }
  fleet.replace(next, runners);
  fleet.launch(fresh);
  return fresh.map((runner) => runner.id);
}
