import type { AppSpec } from '../model/app.js';
import { withRuns } from '../model/log-runs.js';
import type { ActionError, ActionResult, Controller, DescribeResult, LogQuery, LogsResult, ReloadResult, RestartOptions, ScaleChange, SubscribeOptions, Target, Unsubscribe } from '../model/controller.js';
import type { InstanceInfo, SupervisorEvent } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import { planConfigReload, resized, withFreshEnv, type AppAction } from '../plan/reload.js';
import { applyApps, type Fleet } from './app-changes.js';
import { expandInstances, matchTarget, stopLevels } from '../plan/plan.js';
import { formatBytes } from '../util/units.js';
import { EventBus, type LogFilter } from './bus.js';
import { waitingReason } from './dependencies.js';
import { nothingLeftToRun } from './idle.js';
import { InstanceRunner, type ProcessRegistry, type RunnerHooks } from './instance.js';
import { LogHub, type LogTap } from '../logs/hub.js';
import type { LogBackend } from './log-backend.js';
import { MetricsCadence } from './metrics-cadence.js';
import { measureRunners } from './measure.js';
import { rollInstance } from './reload.js';
import { startSchedules, type Schedules } from './schedules.js';

/** Where a reload gets the new apps from; the supervisor itself knows nothing of config files. */
export interface ConfigSource {
  load(): Promise<{ readonly ok: true; readonly apps: readonly AppSpec[]; readonly warnings: readonly string[] } | { readonly ok: false; readonly message: string }>;
  /** A note when the file changed since it was loaded (so a restart would run the old config). */
  staleNote(): string | undefined;
  /** An app given at run time (pm2's `start script.js`), checked and resolved as the config's apps are. */
  resolveApp?(app: Readonly<Record<string, unknown>>, cwd: string): { readonly ok: true; readonly app: AppSpec; readonly warnings: readonly string[] } | { readonly ok: false; readonly message: string };
}

export interface SupervisorOptions {
  readonly parentEnv?: Readonly<Record<string, string | undefined>>;
  readonly registry?: ProcessRegistry;
  /** How often CPU and memory are sampled (and max_memory_restart checked). Default 2000 ms. */
  readonly metricsIntervalMs?: number;
  /** How often they are sampled when no viewer wants metrics and no app has a memory limit. Default 30 s. */
  readonly idleMetricsIntervalMs?: number;
  readonly logs?: LogBackend;
  readonly configSource?: ConfigSource;
}

/** Keeps every instance alive by its policy; the in-process Controller. */
export class Supervisor implements Controller {
  private runners = new Map<InstanceId, InstanceRunner>();
  private apps: readonly AppSpec[];
  private readonly bus = new EventBus();
  private readonly logStore: LogBackend;
  private readonly hooks: RunnerHooks;
  private metricsTimer: NodeJS.Timeout | undefined;
  private readonly metricsCadence: MetricsCadence;
  private schedules: Schedules | undefined;
  private shuttingDown: Promise<void> | undefined;
  private reloading: Promise<unknown> = Promise.resolve();

  constructor(apps: readonly AppSpec[], private readonly options: SupervisorOptions = {}) {
    this.apps = apps;
    this.logStore = options.logs ?? new LogHub();
    this.metricsCadence = new MetricsCadence(options.idleMetricsIntervalMs);
    // The bus hands lines on within the turn they arrive in, to subscribers that each bound their own backlog
    // (the headless printer, control connections, the TUI): a cap here would drop lines a fast reader takes.
    this.logStore.follow(undefined, (lines) => this.bus.lines(lines), { maxQueue: Number.MAX_SAFE_INTEGER });
    this.hooks = {
      changed: (runner) => this.onChanged(runner),
      openLog: (runner) => this.logStore.open(runner.id, runner.app.name, runner.index, runner.app.logs),
      // A readiness probe must see every line, so its queue has no practical bound.
      followLines: (runner, listener) => this.logStore.follow([runner.id], listener, { maxQueue: Number.MAX_SAFE_INTEGER }),
      blockedBy: (runner) => this.blockedBy(runner),
      registry: options.registry,
      parentEnv: options.parentEnv ?? process.env,
    };
    this.runners = this.createRunners(apps);
  }

  /** Starts the apps with autostart (or only the named ones), their schedules and the metrics loop. */
  async startAll(only?: readonly string[]): Promise<void> {
    const chosen = only && only.length > 0 ? new Set(only) : undefined;
    this.launch([...this.runners.values()].filter((runner) => (chosen ? chosen.has(runner.app.name) : runner.app.autostart)));
    this.metricsTimer = setInterval(() => void this.sampleMetrics(), this.options.metricsIntervalMs ?? 2000);
    await this.restartSchedules();
  }

  async list(): Promise<readonly InstanceInfo[]> {
    return this.snapshot();
  }

  async describe(target: Target): Promise<DescribeResult> {
    const match = this.match(target);
    if (!match.ok) return match;
    return { ok: true, instances: this.pick(match.instances).map((runner) => ({ info: runner.info(), spec: runner.app, pid: runner.pid, env: runner.environment })) };
  }

  start(target: Target): Promise<ActionResult> {
    return this.act(target, async (runner) => {
      runner.start();
      await runner.launched();
    });
  }

  stop(target: Target): Promise<ActionResult> {
    return this.act(target, (runner) => runner.stop());
  }

  async restart(target: Target, options: RestartOptions = {}): Promise<ActionResult> {
    const refreshed = options.updateEnv ? await this.refreshEnv(target) : { warnings: [] };
    if ('message' in refreshed) return refreshed;
    const result = await this.act(target, (runner) => runner.restart());
    const stale = options.updateEnv ? undefined : this.options.configSource?.staleNote();
    const warnings = [...refreshed.warnings, ...(stale ? [stale] : [])];
    return result.ok && warnings.length > 0 ? { ...result, warnings } : result;
  }

  addApp(raw: Readonly<Record<string, unknown>>, cwd: string): Promise<ActionResult> {
    return this.serial(async (): Promise<ActionResult> => {
      const resolved = this.options.configSource?.resolveApp?.(raw, cwd);
      if (!resolved) return { ok: false, code: 'failed', message: 'this supervisor cannot add apps at run time' };
      if (!resolved.ok) return { ok: false, code: 'bad_request', message: resolved.message };
      const app: AppSpec = { ...resolved.app, adhoc: true };
      if (this.apps.some((other) => other.name === app.name)) {
        return { ok: false, code: 'failed', message: `an app named "${app.name}" is already running; 'node-unit restart ${app.name}' restarts it, --name gives a new app another name` };
      }
      const started = await this.changeApps([...this.apps, app], new Map());
      await Promise.all(this.pick(started).map((runner) => runner.launched()));
      return { ok: true, instances: started, ...(resolved.warnings.length > 0 ? { warnings: resolved.warnings } : {}) };
    });
  }

  deleteApp(target: Target): Promise<ActionResult> {
    return this.serial(async (): Promise<ActionResult> => {
      const match = this.match(target);
      if (!match.ok) return match;
      const names = new Set(this.pick(match.instances).map((runner) => runner.app.name));
      const partial = [...names].filter((name) => this.runnersOf(name).some((runner) => !match.instances.includes(runner.id)));
      if (partial.length > 0) return { ok: false, code: 'bad_request', message: `delete removes whole apps; to remove instances of ${partial.join(', ')}, use 'node-unit scale'` };
      const fromConfig = this.apps.filter((app) => names.has(app.name) && !app.adhoc).map((app) => app.name);
      await this.changeApps(this.apps.filter((app) => !names.has(app.name)), new Map());
      const warnings = fromConfig.length > 0 ? [`${fromConfig.join(', ')} ${fromConfig.length === 1 ? 'is' : 'are'} still in the config file: 'node-unit reload' starts ${fromConfig.length === 1 ? 'it' : 'them'} again`] : [];
      return { ok: true, instances: match.instances, ...(warnings.length > 0 ? { warnings } : {}) };
    });
  }

  scale(name: string, change: ScaleChange): Promise<ActionResult> {
    return this.serial(async (): Promise<ActionResult> => {
      const app = this.apps.find((one) => one.name === name);
      if (!app) return this.match(name).ok ? { ok: false, code: 'bad_request', message: `scale takes an app name, got "${name}"` } : this.match(name);
      const next = resized(app, change);
      if (!next.ok) return { ok: false, code: 'bad_request', message: next.message };
      await this.changeApps(this.apps.map((one) => (one.name === name ? next.spec : one)), new Map([[name, 'scale']]));
      return { ok: true, instances: this.runnersOf(name).map((runner) => runner.id) };
    });
  }

  async reset(target: Target): Promise<ActionResult> {
    const match = this.match(target);
    if (!match.ok) return match;
    for (const runner of this.pick(match.instances)) runner.resetCounters();
    return match;
  }

  async signal(signal: NodeJS.Signals, target: Target): Promise<ActionResult> {
    return this.act(target, async (runner) => runner.signal(signal));
  }

  async flush(target: Target | undefined): Promise<ActionResult> {
    const match = this.match(target ?? 'all');
    if (!match.ok) return match;
    await this.logStore.flush(match.instances);
    return match;
  }

  async logs(target: Target | undefined, query: LogQuery): Promise<LogsResult> {
    const match = this.match(target ?? 'all');
    if (!match.ok) return match;
    return { ok: true, lines: this.logStore.tail(match.instances, query.lines, query.streams) };
  }

  async reload(target: Target | undefined, options: { readonly planOnly: boolean }): Promise<ReloadResult> {
    return this.serial((): Promise<ReloadResult> => (target === undefined ? this.reloadConfig(options.planOnly) : this.rollingRestart(target)));
  }

  /** Changes to the set of apps run one after another, never during a shutdown. */
  private serial<T extends ReloadResult | ActionResult>(change: () => Promise<T>): Promise<T | ActionError> {
    if (this.shuttingDown) return Promise.resolve({ ok: false, code: 'shutting_down', message: 'the supervisor is shutting down' });
    const run = this.reloading.then(change);
    this.reloading = run.catch(() => undefined);
    return run;
  }

  /** The supervisor's apps and runners as they are now, lent to one change. */
  private fleet(): Fleet {
    return {
      apps: this.apps,
      runners: this.runners,
      replace: (apps, runners) => {
        for (const [id, runner] of this.runners) if (runners.get(id) !== runner && !runners.has(id)) this.logStore.forget(id);
        this.apps = apps;
        this.runners = runners;
        this.bus.emit({ type: 'config', instances: this.snapshot() });
      },
      create: (app, index) => new InstanceRunner(app, index, this.hooks),
      stop: (runners, apps) => this.stopRunners(runners, apps),
      launch: (runners) => this.launch(runners),
    };
  }

  private async changeApps(next: readonly AppSpec[], actions: ReadonlyMap<string, AppAction>): Promise<readonly InstanceId[]> {
    const started = await applyApps(this.fleet(), next, actions);
    await this.restartSchedules();
    return started;
  }

  subscribe(listener: (event: SupervisorEvent) => void, options: SubscribeOptions = {}): Unsubscribe {
    const logs = this.logFilter(options.logs ?? 'all');
    listener({ type: 'snapshot', instances: this.snapshot() });
    const remove = this.bus.add(withRuns(listener, options.runs), logs);
    const unwatch = options.metrics === false ? undefined : this.metricsCadence.watch();
    return () => {
      remove();
      unwatch?.();
    };
  }

  /** Every chunk of log lines of the local apps as it is read, as bytes (lent): for `up --no-tui`'s printing. */
  tapLogs(listener: LogTap): Unsubscribe {
    return this.logStore.tap(listener);
  }

  /** Graceful: dependents stop before what they depend on. */
  shutdown(reason: string): Promise<void> {
    this.shuttingDown ??= this.stopEverything(reason);
    return this.shuttingDown;
  }

  /** Every instance has ended on its own or waits for a command, and nothing will start one by itself (see idle.ts). */
  nothingLeftToRun(): boolean {
    return nothingLeftToRun([...this.runners.values()].map((runner) => ({ state: runner.state, launching: runner.launching, cron: runner.app.cronRestart !== undefined, watched: runner.app.watch !== undefined })));
  }

  /** No grace: SIGKILL every tree now (a second Ctrl-C). */
  killAll(): void {
    for (const runner of this.runners.values()) runner.kill();
  }

  private createRunners(apps: readonly AppSpec[]): Map<InstanceId, InstanceRunner> {
    return new Map(expandInstances(apps).map((planned) => [planned.id, new InstanceRunner(planned.app, planned.index, this.hooks)]));
  }

  /** Marks all as wanted first, so dependents see their dependencies as on the way. */
  private launch(runners: readonly InstanceRunner[]): void {
    for (const runner of runners) runner.want();
    for (const runner of runners) runner.start();
  }

  private async restartSchedules(): Promise<void> {
    await this.schedules?.close();
    this.schedules = await startSchedules(this.apps, {
      cron: (app) => void this.onCron(app),
      changed: (app, paths) => void this.onWatchChange(app, paths),
      warn: (app, message) => this.runnersOf(app.name)[0]?.log.note('err', `[node-unit] ${message}`),
    });
  }

  private async stopEverything(reason: string): Promise<void> {
    // After a turn, so `shuttingDown` is set: a listener that calls shutdown() joins this one.
    await Promise.resolve();
    for (const runner of this.runners.values()) runner.retire();
    this.bus.emit({ type: 'shutdown', reason });
    clearInterval(this.metricsTimer);
    await this.schedules?.close();
    await this.reloading;
    await this.stopRunners([...this.runners.values()], this.apps);
    await Promise.all([...this.runners.values()].map((runner) => runner.log.drained()));
    await this.logStore.close();
  }

  private async stopRunners(runners: readonly InstanceRunner[], apps: readonly AppSpec[]): Promise<void> {
    for (const runner of runners) if (runner.state.status === 'pending' || runner.state.status === 'backoff') await runner.stop();
    for (const level of stopLevels(apps)) {
      const names = new Set(level.map((app) => app.name));
      await Promise.all(runners.filter((runner) => names.has(runner.app.name)).map((runner) => runner.stop()));
    }
  }

  private snapshot(): InstanceInfo[] {
    return [...this.runners.values()].map((runner) => runner.info());
  }

  private runnersOf(app: string): InstanceRunner[] {
    return [...this.runners.values()].filter((runner) => runner.app.name === app);
  }

  private pick(ids: readonly InstanceId[]): InstanceRunner[] {
    return ids.map((id) => this.runners.get(id)).filter((runner): runner is InstanceRunner => runner !== undefined);
  }

  private match(target: Target): Extract<ActionResult, { ok: true }> | Extract<ActionResult, { ok: false }> {
    const match = matchTarget(target, expandInstances(this.apps));
    return match.ok ? { ok: true, instances: match.ids } : { ok: false, code: 'unknown_target', message: match.message };
  }

  private logFilter(target: Target | 'none'): LogFilter {
    if (target === 'all' || target === 'none') return target;
    const match = this.match(target);
    return match.ok ? new Set(match.instances) : 'none';
  }

  private async act(target: Target, action: (runner: InstanceRunner) => Promise<void>): Promise<ActionResult> {
    if (this.shuttingDown) return { ok: false, code: 'shutting_down', message: 'the supervisor is shutting down' };
    const match = this.match(target);
    if (!match.ok) return match;
    await Promise.all(this.pick(match.instances).map(action));
    return match;
  }

  private async reloadConfig(planOnly: boolean): Promise<ReloadResult> {
    const source = this.options.configSource;
    if (!source) return { ok: false, code: 'failed', message: 'this supervisor has no config file to reload' };
    const loaded = await source.load();
    if (!loaded.ok) return { ok: false, code: 'failed', message: loaded.message };
    const reload = planConfigReload(this.apps, loaded.apps);
    const warnings = [...loaded.warnings, ...reload.warnings];
    if (!planOnly) await this.changeApps(reload.next, reload.actions);
    return { ok: true, kind: 'config', plan: reload.plan, applied: !planOnly, warnings };
  }

  /** pm2's --update-env: the targeted apps take the env the config file (and its env files) gives them now. */
  private async refreshEnv(target: Target): Promise<{ readonly warnings: readonly string[] } | ActionError> {
    const match = this.match(target);
    if (!match.ok) return match;
    const source = this.options.configSource;
    const loaded = source ? await source.load() : { ok: false as const, message: 'this supervisor has no config file' };
    if (!loaded.ok) return { ok: false, code: 'failed', message: `--update-env: ${loaded.message}` };
    const runners = this.pick(match.instances);
    const { apps, missing } = withFreshEnv(this.apps, loaded.apps, new Set(runners.map((runner) => runner.app.name)));
    this.apps = apps;
    for (const runner of runners) runner.adopt(apps.find((app) => app.name === runner.app.name) ?? runner.app);
    return { warnings: missing.length > 0 ? [`--update-env: ${missing.join(', ')} not in the config file; env kept`] : [] };
  }

  private async rollingRestart(target: Target): Promise<ReloadResult> {
    const match = this.match(target);
    if (!match.ok) return match;
    for (const id of match.instances) {
      const old = this.runners.get(id);
      if (!old) continue;
      await rollInstance(old, (fresh) => this.runners.set(id, fresh), () => new InstanceRunner(old.app, old.index, this.hooks));
    }
    return { ok: true, kind: 'rolling', instances: match.instances };
  }

  private onChanged(runner: InstanceRunner): void {
    this.bus.emit({ type: 'state', instance: runner.info() });
    if (this.shuttingDown) return;
    for (const other of this.runners.values()) {
      if (other !== runner && other.wantsToRun && other.app.dependsOn.some((dep) => dep.app === runner.app.name)) other.tryLaunch();
    }
  }

  private blockedBy(runner: InstanceRunner): string | undefined {
    return waitingReason(runner.app.dependsOn, (app) => {
      const runners = this.runnersOf(app);
      return runners.length > 0 ? { app, states: runners.map((r) => r.state), wanted: runners.some((r) => r.wantsToRun) } : undefined;
    });
  }

  private async sampleMetrics(): Promise<void> {
    const runners = [...this.runners.values()];
    if (!this.metricsCadence.due(Date.now(), runners.some((runner) => runner.app.maxMemoryBytes !== undefined))) return;
    const { samples, overLimit } = await measureRunners(runners);
    for (const { runner, memory, limit } of overLimit) {
      if (this.shuttingDown) break;
      void runner.restart(`restarted: memory ${formatBytes(memory)} over max_memory_restart ${formatBytes(limit)}`);
    }
    if (samples.length > 0) this.bus.emit({ type: 'metrics', samples });
  }

  private async onCron(app: AppSpec): Promise<void> {
    for (const runner of this.runnersOf(app.name)) {
      if (this.shuttingDown) return;
      const reason = `restarted: cron_restart "${app.cronRestart ?? ''}"`;
      if (runner.state.status === 'online' || runner.state.status === 'starting') await runner.restart(reason);
      else if (runner.state.status === 'exited') runner.start();
    }
  }

  private async onWatchChange(app: AppSpec, paths: readonly string[]): Promise<void> {
    const runners = this.runnersOf(app.name).filter((runner) => runner.wantsToRun);
    if (runners.length === 0 || this.shuttingDown) return;
    const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '');
    runners[0]?.log.note('out', `[node-unit] change in ${shown}; restarting`);
    await Promise.all(runners.map((runner) => runner.restart()));
  }
}
