import type { AppSpec } from '../model/app.js';
import { nextCronTime, parseCron } from '../util/cron.js';
import { watchFiles, type AppWatcher } from './watch.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Schedules {
  close(): Promise<void>;
}

/** Cron restarts and file watches for the apps that ask for them. */
export async function startSchedules(
  apps: readonly AppSpec[],
  actions: { readonly cron: (app: AppSpec) => void; readonly changed: (app: AppSpec, paths: readonly string[]) => void; readonly warn: (app: AppSpec, message: string) => void },
): Promise<Schedules> {
  const timers = new Set<NodeJS.Timeout>();
  const watchers: AppWatcher[] = [];
  let closed = false;
  const arm = (app: AppSpec): void => {
    const parsed = app.cronRestart ? parseCron(app.cronRestart) : undefined;
    if (!parsed?.ok || closed) return;
    const next = nextCronTime(parsed.schedule, new Date());
    if (!next) return;
    const wait = next.getTime() - Date.now();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (wait <= MAX_TIMER_MS) actions.cron(app);
      arm(app);
    }, Math.min(wait, MAX_TIMER_MS));
    timers.add(timer);
  };
  for (const app of apps) {
    arm(app);
    if (!app.watch) continue;
    try {
      watchers.push(await watchFiles(app.watch, app.cwd, (paths) => actions.changed(app, paths)));
    } catch (error) {
      actions.warn(app, `cannot watch: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return {
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(watchers.map((watcher) => watcher.close()));
    },
  };
}
