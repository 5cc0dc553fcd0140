import type { ActionResult, Controller, DescribeResult, LogQuery, LogsResult, ReloadResult, SubscribeOptions, Target, Unsubscribe } from '../../src/model/controller.js';
import type { InstanceInfo, LogLine, SupervisorEvent } from '../../src/model/events.js';
import { instanceId, type InstanceId } from '../../src/model/ids.js';
import type { ProcessState } from '../../src/model/state.js';
import type { AppSpec } from '../../src/model/app.js';
import { withRuns } from '../../src/model/log-runs.js';

/** A resolved spec as the supervisor would describe it; `overrides` set what a test looks at. */
export function specFor(app: string, overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    name: app, namespace: 'default', script: `${app}.js`, args: [], interpreter: 'node', interpreterArgs: [], cwd: `/srv/${app}`,
    blockingStdio: true, envSources: {}, envFiles: [],
    env: { PORT: '3000', SECRET_TOKEN: 'hunter2' }, filterEnv: false, instances: 1, execMode: 'fork', incrementVar: undefined,
    instanceVar: 'NODE_APP_INSTANCE', autostart: true, autorestart: true, maxRestarts: 16, minUptimeMs: 1000, restartDelayMs: 0,
    expBackoffRestartDelayMs: undefined, stopExitCodes: [], killTimeoutMs: 1600, killSignal: 'SIGINT', maxMemoryBytes: undefined,
    cronRestart: undefined, watch: undefined, waitReady: false, listenTimeoutMs: 3000, readiness: undefined, dependsOn: [], ports: {},
    node: undefined,
    logs: { outFile: `/srv/.node-unit/logs/${app}-out.log`, errorFile: `/srv/.node-unit/logs/${app}-error.log`, combinedFile: null, merge: false, timestamp: false, dateFormat: undefined, maxSizeBytes: undefined, maxFiles: 10 },
    ...overrides,
  };
}

export interface Call {
  readonly method: string;
  readonly args: readonly unknown[];
}

export function info(app: string, state: ProcessState, extra: Partial<Pick<InstanceInfo, 'index' | 'cpu' | 'memory' | 'note'>> = {}): InstanceInfo {
  const index = extra.index ?? 0;
  return { id: instanceId(app, index), app, index, namespace: 'default', state, cpu: extra.cpu, memory: extra.memory, note: extra.note };
}

export const online = (pid: number, since = Date.now() - 65_000, restarts = 0): ProcessState => ({ status: 'online', pid, since, restarts });

/** A Controller for TUI tests: records every call and lets the test push events. */
export class FakeController implements Controller {
  readonly calls: Call[] = [];
  private readonly listeners = new Set<(event: SupervisorEvent) => void>();
  private seq = 0;

  constructor(
    private instances: readonly InstanceInfo[],
    private readonly history: readonly LogLine[] = [],
    /** Specs by app; apps without one get specFor(app). */
    private readonly specs: ReadonlyMap<string, AppSpec> = new Map(),
  ) {
    this.seq = history.reduce((max, line) => Math.max(max, line.seq), 0);
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  private ok(target: Target): ActionResult {
    return { ok: true, instances: this.instances.filter((i) => target === 'all' || i.app === target || i.id === target).map((i) => i.id) };
  }

  async list(): Promise<readonly InstanceInfo[]> {
    this.record('list');
    return this.instances;
  }
  async describe(target: Target): Promise<DescribeResult> {
    this.record('describe', target);
    const chosen = this.instances.filter((i) => target === 'all' || i.app === target || i.id === target);
    if (chosen.length === 0) return { ok: false, code: 'unknown_target', message: `no app named ${target}` };
    return { ok: true, instances: chosen.map((i) => ({ info: i, spec: this.specs.get(i.app) ?? specFor(i.app), pid: 'pid' in i.state ? i.state.pid : undefined })) };
  }
  async start(target: Target): Promise<ActionResult> {
    this.record('start', target);
    return this.ok(target);
  }
  async stop(target: Target): Promise<ActionResult> {
    this.record('stop', target);
    return this.ok(target);
  }
  async restart(target: Target): Promise<ActionResult> {
    this.record('restart', target);
    return target === 'nope' ? { ok: false, code: 'unknown_target', message: 'no app named nope' } : this.ok(target);
  }
  async reload(target: Target | undefined, options: { readonly planOnly: boolean }): Promise<ReloadResult> {
    this.record('reload', target, options);
    return { ok: true, kind: 'rolling', instances: [] };
  }
  async signal(signal: NodeJS.Signals, target: Target): Promise<ActionResult> {
    this.record('signal', signal, target);
    return this.ok(target);
  }
  async flush(target: Target | undefined): Promise<ActionResult> {
    this.record('flush', target);
    return this.ok(target ?? 'all');
  }
  async logs(target: Target | undefined, query: LogQuery): Promise<LogsResult> {
    this.record('logs', target, query);
    const lines = this.history.filter((line) => target === undefined || line.id === target || line.app === target);
    return { ok: true, lines: lines.slice(-query.lines) };
  }
  subscribe(listener: (event: SupervisorEvent) => void, options?: SubscribeOptions): Unsubscribe {
    this.record('subscribe', options);
    listener({ type: 'snapshot', instances: this.instances });
    const heard = withRuns(listener, options?.runs);
    this.listeners.add(heard);
    return () => this.listeners.delete(heard);
  }
  async shutdown(reason: string): Promise<void> {
    this.record('shutdown', reason);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  emit(event: SupervisorEvent): void {
    if (event.type === 'snapshot' || event.type === 'config') this.instances = event.instances;
    for (const listener of this.listeners) listener(event);
  }

  setState(next: InstanceInfo): void {
    this.instances = this.instances.map((i) => (i.id === next.id ? next : i));
    this.emit({ type: 'state', instance: next });
  }

  /** Pushes live lines for one instance. */
  log(id: InstanceId, ...texts: readonly string[]): void {
    const app = id.slice(0, id.lastIndexOf(':'));
    this.emit({ type: 'log', lines: texts.map((line) => ({ seq: ++this.seq, id, app, stream: 'out' as const, time: Date.now(), line })) });
  }

  actions(): readonly string[] {
    return this.calls.filter((c) => ['start', 'stop', 'restart'].includes(c.method)).map((c) => `${c.method} ${String(c.args[0])}`);
  }
}

export function historyLines(id: InstanceId, count: number, text: (i: number) => string = (i) => `line ${i}`, startSeq = 1): LogLine[] {
  const app = id.slice(0, id.lastIndexOf(':'));
  return Array.from({ length: count }, (_, i) => ({ seq: startSeq + i, id, app, stream: 'out' as const, time: 0, line: text(i + 1) }));
}
