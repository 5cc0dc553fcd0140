import fs from 'node:fs/promises';
import path from 'node:path';
import type { Controller } from '../model/controller.js';
import type { Disposer, Plugin, PluginCall, PluginCallResult, PluginCaller, PluginConfig, PluginContext, PluginLogLevel, RpcHandler } from '../model/plugin.js';
import { PluginError } from './errors.js';
import { guardStrayErrors } from './async-guard.js';
import { asJson } from './json-value.js';
import { overriding } from './override.js';
import { runHook } from './run-hook.js';
import { withPluginViews } from './view-controller.js';
import { PluginViewsHost } from './views.js';

/** A hook may take this long before the supervisor stops waiting for it. */
export const DEFAULT_HOOK_TIMEOUT_MS = 5000;

export type PluginOutput =
  | { readonly kind: 'log'; readonly plugin: string; readonly level: PluginLogLevel; readonly message: string }
  | { readonly kind: 'failure'; readonly plugin: string; readonly error: PluginError };

export interface PluginHostOptions {
  readonly plugins: readonly Plugin[];
  readonly config: PluginConfig;
  /** Every line a plugin logs and every hook failure, in order. */
  readonly output: (entry: PluginOutput) => void;
  readonly hookTimeoutMs?: number;
}

interface Loaded {
  readonly plugin: Plugin;
  readonly dataDir: string;
  readonly abort: AbortController;
  readonly handlers: Map<string, RpcHandler>;
  disposer: Disposer | undefined;
}

/**
 * Runs the config's plugins beside a supervisor: hooks in plugin order, each bounded in time, failures
 * reported as PluginErrors and never thrown; disposers and close hooks in reverse order on shutdown.
 */
export class PluginHost implements PluginCaller {
  private readonly loaded: readonly Loaded[];
  private readonly timeoutMs: number;
  private readonly failures: PluginError[] = [];
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: PluginHostOptions) {
    this.timeoutMs = options.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
    this.loaded = options.plugins.map((plugin) => ({
      plugin,
      dataDir: path.join(options.config.stateDir, plugin.name),
      abort: new AbortController(),
      handlers: new Map(),
      disposer: undefined,
    }));
  }

  /** Every hook failure so far. */
  get errors(): readonly PluginError[] {
    return this.failures;
  }

  /** The supervisor as viewers see it: instances carry the plugins' column values; panels are drawn on request. */
  servedAs(controller: Controller): Controller {
    return withPluginViews(controller, new PluginViewsHost(this.options.plugins, (error) => this.fail(error)));
  }

  async configResolved(): Promise<void> {
    for (const { plugin } of this.loaded) {
      const hook = plugin.configResolved;
      if (!hook) continue;
      const outcome = await runHook(plugin.name, 'configResolved', () => hook.call(plugin, this.options.config), this.timeoutMs);
      if (!outcome.ok) this.fail(outcome.error);
    }
  }

  /** Runs every `started`, in plugin order. Called once; later calls join the first. */
  start(controller: Controller): Promise<void> {
    this.starting ??= this.startAll(controller);
    return this.starting;
  }

  private async startAll(controller: Controller): Promise<void> {
    // Kept after close: a plugin's leftover timer that throws while the supervisor exits is reported too.
    guardStrayErrors((plugin, cause) => this.fail(new PluginError(plugin, 'background', { kind: 'threw', cause })));
    for (const entry of this.loaded) {
      if (this.closing) return;
      const hook = entry.plugin.started;
      if (!hook) continue;
      const outcome = await runHook(entry.plugin.name, 'started', async () => {
        await fs.mkdir(entry.dataDir, { recursive: true, mode: 0o700 });
        return hook.call(entry.plugin, this.contextFor(entry, controller));
      }, this.timeoutMs);
      if (outcome.ok) entry.disposer = outcome.value ?? undefined;
      else {
        this.fail(outcome.error);
        // A started that finishes after its deadline is undone at once: what it set up must not outlive it.
        void outcome.late?.then((late) => (late ? this.dispose(entry, late) : undefined));
      }
    }
  }

  /** Disposers and close hooks, plugins in reverse order. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  async callPlugin(call: PluginCall): Promise<PluginCallResult> {
    const entry = this.loaded.find((candidate) => candidate.plugin.name === call.plugin);
    if (!entry) return { ok: false, code: 'unknown_plugin', message: `no plugin named "${call.plugin}" runs in this supervisor (plugins: ${this.loaded.map((l) => l.plugin.name).join(', ') || 'none'})` };
    const handler = entry.handlers.get(call.method);
    if (!handler) return { ok: false, code: 'unknown_method', message: `plugin "${call.plugin}" serves no method "${call.method}" (methods: ${[...entry.handlers.keys()].join(', ') || 'none'})` };
    const outcome = await runHook(call.plugin, 'rpc', () => handler(call.params), this.timeoutMs, call.method);
    if (!outcome.ok) {
      this.fail(outcome.error);
      return { ok: false, code: outcome.error.failure.kind === 'timeout' ? 'timeout' : 'failed', message: outcome.error.message };
    }
    const json = asJson(outcome.value);
    return json.ok ? { ok: true, value: json.value } : { ok: false, code: 'failed', message: `plugin "${call.plugin}": rpc "${call.method}" returned a value that cannot be sent as JSON` };
  }

  private async closeAll(): Promise<void> {
    // A `started` in flight finishes (or times out) first, so its disposer is known; no later one begins.
    await this.starting;
    for (const entry of [...this.loaded].reverse()) {
      entry.abort.abort();
      entry.handlers.clear();
      const disposer = entry.disposer;
      entry.disposer = undefined;
      if (disposer) await this.dispose(entry, disposer);
      const hook = entry.plugin.close;
      if (!hook) continue;
      const outcome = await runHook(entry.plugin.name, 'close', () => hook.call(entry.plugin), this.timeoutMs);
      if (!outcome.ok) this.fail(outcome.error);
    }
  }

  private async dispose(entry: Loaded, disposer: unknown): Promise<void> {
    if (typeof disposer !== 'function') return this.log(entry.plugin.name, 'warn', `started returned ${typeof disposer}, not a disposer function; ignored`);
    const outcome = await runHook(entry.plugin.name, 'dispose', () => (disposer as Disposer)(), this.timeoutMs);
    if (!outcome.ok) this.fail(outcome.error);
  }

  private contextFor(entry: Loaded, controller: Controller): PluginContext {
    const name = entry.plugin.name;
    const say = (level: PluginLogLevel) => (message: string) => this.log(name, level, String(message));
    return {
      name,
      controller: this.reportingListeners(name, controller),
      log: { info: say('info'), warn: say('warn'), error: say('error') },
      config: this.options.config,
      stateDir: this.options.config.stateDir,
      dataDir: entry.dataDir,
      signal: entry.abort.signal,
      handle: (method, handler) => {
        if (typeof method !== 'string' || method === '' || typeof handler !== 'function') throw new TypeError(`ctx.handle(method, handler): expected a method name and a function, got ${typeof method} and ${typeof handler}`);
        if (!entry.abort.signal.aborted) entry.handlers.set(method, handler);
      },
    };
  }

  /** The bus swallows a listener's throw to protect the other viewers; a plugin's is reported. */
  private reportingListeners(plugin: string, controller: Controller): Controller {
    const subscribe: Controller['subscribe'] = (listener, options) =>
      controller.subscribe((event) => {
        try {
          listener(event);
        } catch (cause) {
          this.fail(new PluginError(plugin, 'background', { kind: 'threw', cause }, 'subscribe listener'));
        }
      }, options);
    return overriding(controller, { subscribe });
  }

  private fail(error: PluginError): void {
    this.failures.push(error);
    this.options.output({ kind: 'failure', plugin: error.plugin, error });
  }

  private log(plugin: string, level: PluginLogLevel, message: string): void {
    this.options.output({ kind: 'log', plugin, level, message });
  }
}
