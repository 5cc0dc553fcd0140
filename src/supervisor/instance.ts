import type { ChildProcess } from 'node:child_process';
import type { AppSpec, EnvSource } from '../model/app.js';
import type { InstanceInfo, LogLine } from '../model/events.js';
import { instanceId, type InstanceId } from '../model/ids.js';
import type { ProcessState } from '../model/state.js';
import { hasProcess, INITIAL_STATE, transition, type InstanceEvent } from './machine.js';
import { watchReadiness, type ReadinessWatch } from './readiness.js';
import { decideRestart, FRESH_MEMORY, type RestartMemory } from './restart.js';
import { assignPorts, prepareLaunch } from './launch.js';
import type { Spawned } from './spawn.js';
import { killProcessTree, stopProcessTree } from './stop.js';
import type { MarkerQuery } from './proctable.js';
import { readProcStat } from '../util/proc.js';
import type { InstanceLogSink } from './log-backend.js';
import { removePidFile, writePidFile } from './pid-file.js';

export interface ProcessRegistry {
  track(pid: number): void;
  untrack(pid: number): void;
  /** A variable every managed process gets (and its descendants inherit), so a guard can find them all. */
  readonly marker?: { readonly name: string; readonly value: string };
}

export interface RunnerHooks {
  readonly changed: (runner: InstanceRunner) => void;
  /** The instance's log sink (files, ring buffer). */
  readonly openLog: (runner: InstanceRunner) => InstanceLogSink;
  /** Live lines of this instance, for a log-line readiness probe. */
  readonly followLines: (runner: InstanceRunner, listener: (lines: readonly LogLine[]) => void) => () => void;
  /** Why the instance must wait (its dependencies), or undefined when it may start. */
  readonly blockedBy: (runner: InstanceRunner) => string | undefined;
  readonly registry: ProcessRegistry | undefined;
  readonly parentEnv: Readonly<Record<string, string | undefined>>;
}

interface Running {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly group: boolean;
  readonly startedAt: number;
  exited: boolean;
  readonly exit: Promise<void>;
  /** This run's own marker: its descendants carry it even after they leave the group and are re-parented. */
  readonly marker: MarkerQuery | undefined;
  readiness: ReadinessWatch | undefined;
  unfollow: (() => void) | undefined;
}

/** Numbers the runs of every instance, so each run's marker names it alone. */
let launches = 0;

/** Runs one instance: performs what the state machine and restart policy decide. */
export class InstanceRunner {
  state: ProcessState = INITIAL_STATE;
  note: string | undefined;
  cpu: number | undefined;
  memoryBytes: number | undefined;
  readonly id: InstanceId;
  private wanted = false;
  private memory: RestartMemory = FRESH_MEMORY;
  private running: Running | undefined;
  private preparing: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private ports: Record<string, number> | undefined;
  private muted = false;
  private retired = false;
  private nextNote: string | undefined;
  private readonly watchers = new Set<() => void>();
  /** Where each variable of the latest start's environment came from. */
  private envSources: Readonly<Record<string, EnvSource>> | undefined;
  readonly log: InstanceLogSink;

  constructor(
    private spec: AppSpec,
    readonly index: number,
    private readonly hooks: RunnerHooks,
  ) {
    this.id = instanceId(spec.name, index);
    this.log = hooks.openLog(this);
  }

  get app(): AppSpec {
    return this.spec;
  }

  /** Takes a new spec of the same app without a restart (a scale changes only the instance count). */
  adopt(spec: AppSpec): void {
    this.spec = spec;
  }

  /** pm2's `reset`: the restart counter and the backoff start again from zero. */
  resetCounters(): void {
    this.memory = FRESH_MEMORY;
    this.state = { ...this.state, restarts: 0 };
    for (const watcher of this.watchers) watcher();
    if (!this.muted) this.hooks.changed(this);
  }

  /** Stops reporting state changes: this runner is being replaced (rolling reload) under the same id. */
  mute(): void {
    this.muted = true;
  }

  /** Called on every state change, muted or not. */
  watch(listener: () => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  unmute(): void {
    this.muted = false;
    this.hooks.changed(this);
  }

  /** Continues the restart count of the runner this one replaces (its ports too, unless the app's ports changed). */
  inherit(from: InstanceRunner, options: { readonly ports: boolean } = { ports: true }): void {
    this.state = { status: 'stopped', restarts: from.state.restarts + 1, since: 0 };
    if (options.ports) this.ports = from.ports;
  }

  get wantsToRun(): boolean {
    return this.wanted;
  }

  get pid(): number | undefined {
    return this.running?.pid;
  }

  /** A launch is under way (the state says so only once the process has spawned). */
  get launching(): boolean {
    return this.preparing !== undefined;
  }

  /** The latest start's variables and where each came from (undefined before the first start). */
  get environment(): Readonly<Record<string, EnvSource>> | undefined {
    return this.envSources;
  }

  info(): InstanceInfo {
    const info: InstanceInfo = { id: this.id, app: this.app.name, index: this.index, namespace: this.app.namespace, state: this.state, cpu: this.cpu, memory: this.memoryBytes, note: this.note };
    return this.app.adhoc ? { ...info, adhoc: true } : info;
  }

  /** Marks the instance as meant to run, before anything starts (so dependents know it is coming). */
  want(): void {
    if (!this.retired) this.wanted = true;
  }

  /** Never starts again: the supervisor is shutting down (a restart already under way ends stopped). */
  retire(): void {
    this.retired = true;
    this.wanted = false;
    this.clearRetry();
  }

  /** Asks the instance to run; it waits in pending while its dependencies are not met. */
  start(): void {
    if (this.retired) return;
    this.wanted = true;
    this.clearRetry();
    this.tryLaunch();
  }

  /** Re-checks a waiting instance; called when other instances change. */
  tryLaunch(): void {
    if (!this.wanted || this.running || this.preparing || this.state.status === 'backoff') return;
    const blocked = this.hooks.blockedBy(this);
    if (blocked !== undefined) {
      if (this.state.status !== 'pending' || this.state.reason !== blocked) this.apply({ type: 'hold', reason: blocked });
      return;
    }
    this.beginLaunch();
  }

  async stop(): Promise<void> {
    this.wanted = false;
    this.clearRetry();
    await this.preparing;
    if (this.running) await this.terminate();
    else if (this.state.status !== 'stopped') this.apply({ type: 'cancel', now: Date.now() });
  }

  /**
   * Settles once a launch under way has spawned its process (or failed to): what pm2's start and restart
   * wait for before they answer. Readiness is not awaited; an instance held by its dependencies has no launch.
   */
  async launched(): Promise<void> {
    await this.preparing;
  }

  /** `reason` is shown as the note of the new run (e.g. why the supervisor restarted it). */
  async restart(reason?: string): Promise<void> {
    await this.stop();
    this.memory = FRESH_MEMORY;
    this.nextNote = reason;
    this.start();
    await this.launched();
  }

  /** Sends a signal to the instance's process group (or the worker, in cluster mode). */
  signal(signal: NodeJS.Signals): void {
    const running = this.running;
    if (!running) return;
    try {
      process.kill(running.group ? -running.pid : running.pid, signal);
    } catch {
      // it just exited
    }
  }

  /** Second Ctrl-C: no grace. */
  kill(): void {
    this.retire();
    if (this.running) killProcessTree(this.running.pid, this.running.group, this.running.marker);
  }

  private apply(event: InstanceEvent): void {
    const next = transition(this.state, event);
    if (!next.ok) return;
    this.state = next.state;
    for (const watcher of this.watchers) watcher();
    if (!this.muted) this.hooks.changed(this);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private fail(reason: string): void {
    this.note = reason;
    this.apply({ type: 'fail', now: Date.now(), reason });
  }

  /** Starting from now on, though the spawn may wait its turn behind others. */
  private beginLaunch(): void {
    this.apply({ type: 'launch', now: Date.now() });
    this.preparing = this.launch().finally(() => (this.preparing = undefined));
  }

  private async launch(): Promise<void> {
    this.ports ??= await assignPorts(this.app);
    const registry = this.hooks.registry;
    const marker = registry?.marker ? { name: registry.marker.name, value: `${registry.marker.value}/${++launches}` } : undefined;
    const prepared = await prepareLaunch(this.app, this.index, this.hooks.parentEnv, this.ports, {
      stillWanted: () => this.wanted,
      spawned: (pid) => registry?.track(pid),
      marker,
    });
    if (!prepared.ok) {
      if (prepared.kind === 'cancelled') return;
      if (prepared.kind === 'failed-to-spawn') prepared.child.once('error', (error: NodeJS.ErrnoException) => this.fail(`could not start ${prepared.file}: ${error.code ?? error.message}`));
      else this.fail(prepared.reason);
      return;
    }
    const { spawned, env, ipc } = prepared;
    this.envSources = prepared.sources;
    if (prepared.problems.length > 0) this.nextNote = [this.nextNote, ...prepared.problems].filter((part) => part !== undefined).join('; ');
    const pid = spawned.child.pid as number;
    // Every descendant starts after the root: older processes need not be read when looking for the marker.
    const since = readProcStat(pid)?.startTime ?? 0;
    this.attach(spawned, pid, ipc, env, marker ? { ...marker, family: false, since } : undefined);
  }

  private attach(spawned: Spawned, pid: number, ipc: boolean, env: Readonly<Record<string, string>>, marker: MarkerQuery | undefined): void {
    const { child, group, onOnline } = spawned;
    let markExited: () => void = () => undefined;
    const exit = new Promise<void>((resolve) => (markExited = resolve));
    const running: Running = { child, pid, group, startedAt: Date.now(), exited: false, exit, marker, readiness: undefined, unfollow: undefined };
    this.running = running;
    this.note = this.nextNote;
    this.nextNote = undefined;
    child.on('error', () => undefined);
    if (spawned.stdout) this.log.attach(spawned.stdout, 'out');
    if (spawned.stderr) this.log.attach(spawned.stderr, 'err');
    const pidFileProblem = writePidFile(this.app, this.index, pid);
    if (pidFileProblem) this.log.note('err', pidFileProblem);
    const pidFileOf = this.app;
    child.once('exit', (code, signal) => {
      running.exited = true;
      removePidFile(pidFileOf, this.index);
      running.readiness?.cancel();
      running.unfollow?.();
      this.hooks.registry?.untrack(pid);
      markExited();
      if (this.state.status !== 'stopping') void this.onUnexpectedExit(running, code, signal);
    });
    this.apply({ type: 'spawned', now: running.startedAt, pid });
    running.unfollow = this.app.readiness?.check.kind === 'log'
      ? this.hooks.followLines(this, (lines) => {
          for (const line of lines) running.readiness?.onLine(line.line);
        })
      : undefined;
    running.readiness = watchReadiness({
      app: this.app,
      child,
      ipc,
      env,
      onOnline,
      done: (outcome) => {
        running.unfollow?.();
        if (this.running !== running || this.state.status !== 'starting') return;
        if (outcome.kind === 'ready') {
          if (outcome.note) this.note = outcome.note;
          this.apply({ type: 'ready', now: Date.now(), pid });
        } else {
          this.note = outcome.reason;
          void this.terminate().then(() => this.fail(outcome.reason));
        }
      },
    });
  }

  private async onUnexpectedExit(running: Running, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    const now = Date.now();
    const verdict = decideRestart(this.app, this.memory, { code, signal, uptimeMs: now - running.startedAt, now });
    this.memory = verdict.memory;
    // Leftovers of a crashed instance would hold its ports; clear them before it comes back.
    await stopProcessTree(running.pid, { signal: this.app.killSignal, timeoutMs: this.app.killTimeoutMs, group: running.group, marker: running.marker, isExited: () => true });
    if (this.running === running) this.running = undefined;
    const outcome = this.wanted ? verdict.outcome : ({ kind: 'stopped' } as const);
    this.note = outcome.kind === 'errored' ? outcome.reason : signal ? `killed by ${signal}` : `exited with code ${code ?? '?'}`;
    this.apply({ type: 'exit', now: Date.now(), code, signal, outcome });
    if (outcome.kind === 'restart') {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.launchAfterBackoff();
      }, Math.max(0, outcome.retryAt - Date.now()));
    }
  }

  private launchAfterBackoff(): void {
    if (!this.wanted || this.state.status !== 'backoff') return;
    const blocked = this.hooks.blockedBy(this);
    if (blocked !== undefined) return this.apply({ type: 'hold', reason: blocked });
    this.beginLaunch();
  }

  private async terminate(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.readiness?.cancel();
    this.apply({ type: 'stop', now: Date.now(), forced: false });
    const outcome = await stopProcessTree(running.pid, {
      signal: this.app.killSignal,
      timeoutMs: this.app.killTimeoutMs,
      group: running.group,
      marker: running.marker,
      isExited: () => running.exited,
      exit: running.exit,
    });
    await running.exit;
    if (outcome.forced) this.note = `did not stop within kill_timeout ${this.app.killTimeoutMs}ms; killed`;
    if (this.running === running) this.running = undefined;
    this.apply({ type: 'exit', now: Date.now(), code: running.child.exitCode, signal: running.child.signalCode, outcome: { kind: 'stopped' } });
  }
}
