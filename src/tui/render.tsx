import type { Controller } from '../model/controller.js';
import { FrameCost } from './frame-cost.js';
import { liveTerminal } from './frame-writer.js';
import { RowOverlay } from './row-overlay.js';
import { holdYoungGeneration } from './young-generation.js';
import { mouseReporting } from './mouse.js';

export interface TuiOptions {
  readonly project: string;
  readonly mode: 'up' | 'attach';
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout?: NodeJS.WriteStream;
  /** When the supervisor started; its uptime is shown when given. */
  readonly startedAt?: number;
  /** Where copied text is also saved (the TUI itself never touches files); resolves to what to show, e.g. a path. */
  readonly saveCopy?: (text: string) => Promise<string>;
  /** Ends the TUI when it settles (attach: the connection to the supervisor closed). */
  readonly until?: Promise<unknown>;
  /** q and Ctrl-C ask first (default true; `up --yes` says false). */
  readonly confirmQuit?: boolean;
}

/** quit: stop everything (up); detach: leave it running; gone: the supervisor went away; signal: we were told to end. */
export type TuiResult = 'quit' | 'detach' | 'gone' | 'signal';

const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const MOUSE_ON = mouseReporting(true);
const MOUSE_OFF = mouseReporting(false);
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs the TUI in the alternate screen, mouse reporting on, until the user quits ('quit': the caller stops
 * everything) or detaches, the supervisor goes away, or a signal comes. The terminal is restored on every
 * way out: a key, an error, a signal.
 */
export async function runTui(controller: Controller, options: TuiOptions): Promise<TuiResult> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const { render, createElement, App } = await loadInk();
  const frameCost = new FrameCost();
  const overlay = new RowOverlay();

  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    stdout.write(MOUSE_OFF + SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  stdout.write(ENTER_ALT_SCREEN + MOUSE_ON);
  process.once('exit', restore);

  const { promise, resolve } = deferred<TuiResult>();
  const onSignal = (): void => resolve('signal');
  for (const signal of SIGNALS) process.on(signal, onSignal);
  void options.until?.then(() => resolve('gone'), () => resolve('gone'));
  const terminal = liveTerminal(stdout, overlay);
  try {
    const instance = render(
      createElement(App, {
        controller,
        project: options.project,
        mode: options.mode,
        startedAt: options.startedAt,
        confirmQuit: options.confirmQuit ?? true,
        onExit: resolve,
        writeRaw: (data: string) => void stdout.write(data),
        saveCopy: options.saveCopy,
        frameCost,
        overlay,
        redrawLive: terminal.redraw,
      }),
      {
        stdout: terminal.stream,
        stdin,
        exitOnCtrlC: false,
        patchConsole: false,
        // Ink 6.8's incremental renderer moves the cursor up one row too few when the frame ends with a
        // newline (every frame shorter than the screen, which ours is). Its standard renderer is kept, and
        // terminalStream writes only the lines that changed (FrameDiffer).
        incrementalRendering: false,
        // A cap only: the App already spaces its commits (state 33 ms, logs by FrameCost). A key's frame
        // waits at most this long behind the previous frame.
        maxFps: 60,
        onRender: ({ renderTime }) => frameCost.record(renderTime),
      },
    );
    void instance.waitUntilExit().then(() => resolve(options.mode === 'up' ? 'quit' : 'detach'), (error: unknown) => resolve(Promise.reject(error)));
    try {
      return await promise;
    } finally {
      instance.unmount();
      instance.cleanup();
    }
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('exit', restore);
    restore();
  }
}

type InkApp = typeof import('./ink-app.js');
let loading: Promise<InkApp> | undefined;

/**
 * Loads Ink, React and the App (0.5–0.8 s). Call it before spawning anything: unbundled, React picks its
 * build from NODE_ENV while it loads, and NODE_ENV is set only for that moment.
 */
export async function preloadTui(): Promise<void> {
  await loadInk();
}

function loadInk(): Promise<InkApp> {
  if (loading) return loading;
  holdYoungGeneration();
  loading = importBundle().then((bundle) => bundle ?? importModules());
  return loading;
}

/** The build's one-file TUI (dist/tui.mjs); undefined when running from sources (tsx), which have none. */
async function importBundle(): Promise<InkApp | undefined> {
  const url = new URL('../../tui.mjs', import.meta.url);
  let loaded: unknown;
  try {
    loaded = await import(url.href);
  } catch (error) {
    if (isMissing(error, url)) return undefined;
    throw error;
  }
  if (!isInkApp(loaded)) throw new Error(`${url.pathname}: expected exports render, createElement and App; rebuild with npm run build`);
  return loaded;
}

function isMissing(error: unknown, url: URL): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND' && error.message.includes(url.pathname);
}

function isInkApp(value: unknown): value is InkApp {
  if (typeof value !== 'object' || value === null) return false;
  const exports: Record<string, unknown> = { ...value };
  return typeof exports.render === 'function' && typeof exports.createElement === 'function' && typeof exports.App === 'function';
}

/** React picks its build when first loaded: production (30–40% faster) unless the user asked otherwise. */
async function importModules(): Promise<InkApp> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV ??= 'production';
  try {
    return await import('./ink-app.js');
  } finally {
    // The apps we spawn inherit our environment: they must not see a value we set for React.
    if (previous === undefined) delete process.env.NODE_ENV;
  }
}

function deferred<T>(): { readonly promise: Promise<T>; readonly resolve: (value: T | Promise<T>) => void } {
  let resolve: (value: T | Promise<T>) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
