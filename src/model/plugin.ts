import type { AppSpec } from './app.js';
import type { Controller } from './controller.js';
import type { InstanceInfo } from './events.js';

/**
 * What a plugin is and what it is given. Pure types: config/ types `plugins` with them, plugin/ runs them.
 * A plugin is a named object with hooks, run in the order the config lists the plugins.
 */

/** The resolved config as a plugin sees it (read-only). */
export interface PluginConfig {
  /** The ecosystem file. */
  readonly file: string;
  readonly configDir: string;
  /** The supervisor's state folder (socket, logs, pids). */
  readonly stateDir: string;
  /** The profile chosen with --env, if any. */
  readonly profile: string | undefined;
  readonly apps: readonly AppSpec[];
}

export interface PluginLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type PluginLogLevel = keyof PluginLogger;

/** Undoes what `started` set up; runs on shutdown, plugins in reverse order. */
export type Disposer = () => void | Promise<void>;

/** Serves one RPC method for the plugin's CLI commands; the value returned must survive JSON. */
export type RpcHandler = (params: unknown) => unknown;

/** A column of the view's process table (and of `ls`): data plus a function of the instance, run by the supervisor. */
export interface PluginColumn {
  readonly id: string;
  readonly header: string;
  readonly width: number;
  readonly align?: 'left' | 'right';
  readonly value: (instance: InstanceInfo) => string;
}

/** A panel the view shows in place of its logs: a title and the lines the supervisor draws for the view's width. */
export interface PluginPanel {
  readonly id: string;
  readonly title: string;
  /** A single key that toggles the panel, when the TUI offers one. */
  readonly key?: string;
  readonly lines: (instances: readonly InstanceInfo[], width: number) => readonly string[];
}

export interface PluginContext {
  /** The plugin's own name. */
  readonly name: string;
  readonly controller: Controller;
  /** Lines reach the supervisor's output (TUI or headless) prefixed with the plugin's name. */
  readonly log: PluginLogger;
  readonly config: PluginConfig;
  readonly stateDir: string;
  /** `<stateDir>/<plugin name>`: the plugin's own files. Created before `started` runs. */
  readonly dataDir: string;
  /** Aborted when the supervisor shuts down. */
  readonly signal: AbortSignal;
  /** Serves `method` to the plugin's CLI commands (their `ctx.call`) while the supervisor runs. */
  handle(method: string, handler: RpcHandler): void;
}

/** `--name <name>`, `-j, --json`, `--no-color`: commander's flag syntax. */
export interface PluginCommandOption {
  readonly flags: string;
  readonly description: string;
  readonly default?: string | boolean;
}

export interface PluginCommandArgument {
  readonly name: string;
  readonly description: string;
  /** Default true. */
  readonly required?: boolean;
  readonly variadic?: boolean;
}

export type PluginCallErrorCode = 'not_running' | 'unknown_plugin' | 'unknown_method' | 'failed' | 'bad_request' | 'timeout';

export type PluginCallResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly code: PluginCallErrorCode; readonly message: string };

/** One call of a plugin's RPC method, as the CLI sends it to the running supervisor. */
export interface PluginCall {
  readonly plugin: string;
  readonly method: string;
  readonly params: unknown;
}

/** What serves plugin calls: the plugin host in `up`; a transport (the control socket) on the CLI side. */
export interface PluginCaller {
  callPlugin(call: PluginCall): Promise<PluginCallResult>;
}

export type TextWriter = (text: string) => void;

export interface PluginCliContext {
  readonly stateDir: string;
  /** `<stateDir>/<plugin name>`; not created by the CLI. */
  readonly dataDir: string;
  readonly config: PluginConfig;
  /** Positional arguments, in the order declared. */
  readonly args: readonly string[];
  /** Options by their camel-cased long name (`--dry-run` → `dryRun`). */
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly stdout: TextWriter;
  readonly stderr: TextWriter;
  /** Reads all of stdin (for `join -`). */
  readStdin(): Promise<string>;
  /** Calls the plugin's `ctx.handle(method)` in the running supervisor; `not_running` when there is none. */
  call(method: string, params?: unknown): Promise<PluginCallResult>;
}

/** A top-level CLI command a plugin adds (`node-unit invite`). */
export interface PluginCommand {
  readonly name: string;
  readonly description: string;
  readonly arguments?: readonly PluginCommandArgument[];
  readonly options?: readonly PluginCommandOption[];
  /** The exit code (0 when nothing is returned). */
  run(ctx: PluginCliContext): number | void | Promise<number | void>;
}

export interface Plugin {
  /** Lower-case letters, digits and dashes; also the name of its folder in the state folder. */
  readonly name: string;
  /** CLI commands: they exist whether or not a supervisor runs, so they are data, not registered in `started`. */
  readonly commands?: readonly PluginCommand[];
  /**
   * TUI columns and panels. Data on the plugin, not registered in `started`. Their functions run in the
   * supervisor, which sends the results as data: the view runs in another process (and `attach` in another
   * terminal), and functions do not cross a socket.
   */
  readonly columns?: readonly PluginColumn[];
  readonly panels?: readonly PluginPanel[];
  /**
   * This node serves others (a mesh node): `up` without a view keeps running once every app has ended, as
   * with --no-auto-exit, since what it serves may start apps again.
   */
  readonly keepsUp?: boolean;
  /** The config was loaded and validated; nothing runs yet. */
  configResolved?(config: PluginConfig): void | Promise<void>;
  /** The supervisor runs and serves its socket; apps are starting. May return a disposer. */
  started?(ctx: PluginContext): void | Disposer | Promise<void | Disposer>;
  /** Last call on shutdown, after the plugin's disposer. */
  close?(): void | Promise<void>;
}

/** 'background': a throw no one caught in the plugin's timers, callbacks, listeners or promises. */
export type PluginHook = 'configResolved' | 'started' | 'dispose' | 'close' | 'rpc' | 'command' | 'background' | 'column' | 'panel';

/** `<plugin>/<id>`: the key of a plugin column's value in InstanceInfo.columns, and how the view names an open panel. */
export function columnKey(plugin: string, id: string): string {
  return `${plugin}/${id}`;
}

/** A plugin column as a viewer draws it: the definition without its function (functions do not cross a socket). */
export interface PluginColumnView {
  readonly plugin: string;
  readonly id: string;
  readonly header: string;
  readonly width: number;
  readonly align: 'left' | 'right';
}

export interface PluginPanelView {
  readonly plugin: string;
  readonly id: string;
  readonly title: string;
  readonly key?: string;
}

/** Every plugin's columns and panels, in plugin order: what the control protocol's `views` request answers. */
export interface PluginViews {
  readonly columns: readonly PluginColumnView[];
  readonly panels: readonly PluginPanelView[];
}

export const NO_VIEWS: PluginViews = { columns: [], panels: [] };

/** A panel's lines, drawn by the supervisor for the width the viewer has. */
export type PanelResult = { readonly ok: true; readonly lines: readonly string[] } | { readonly ok: false; readonly message: string };

/**
 * Keys the view's keyboard already uses in its table (src/tui/keys.ts); a panel key must be another one.
 * test/tui checks that every other printable key does nothing there.
 */
export const VIEW_KEYS = 'q?kjgGapfoidmwtJ/nNrsRSc ';
