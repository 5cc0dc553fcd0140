import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { encodeViewOptions, VIEW_ENV, viewExitOf, type ViewExit, type ViewOptions } from './view-protocol.js';

export interface ViewProcess {
  readonly pid: number | undefined;
  /** Settles once, when the view has exited, with what the user chose or how it ended. */
  readonly exited: Promise<ViewExit>;
  /** Ends the view (SIGTERM, then SIGKILL after `graceMs`) and restores the terminal if it could not. */
  readonly stop: (graceMs?: number) => Promise<void>;
}

/**
 * V8 for a view: no helper threads for compiling and collecting (the view's heap is small; its pauses delay
 * no one else), and no eager compilation of the bundle's functions. With 50 idle apps: ~8 MiB less RSS
 * (test/bench/tui.ts). The user's own node flags come first and still apply.
 */
const VIEW_NODE_FLAGS = ['--single-threaded', '--max-lazy'];

/**
 * glibc's malloc for a view: blocks of 96 KiB and more get pages of their own, given back when freed. Loading
 * Ink and yoga's WebAssembly peaks at ~12 MiB of V8's own malloc'd memory, which the heap otherwise keeps
 * for good: ~5 MiB less RSS with 50 idle apps, and no more CPU a frame (test/bench/tui.ts). Above 64 KiB, so
 * the socket's read buffers, one per read under a flood, stay on the heap. A value the user set stays; other
 * C libraries ignore the variable.
 */
const VIEW_MALLOC = { MALLOC_MMAP_THRESHOLD_: String(96 * 1024) } as const;

const RESTORE_TERMINAL = '\x1b[?1000l\x1b[?1002l\x1b[?1006l\x1b[?25h\x1b[?1049l';

/**
 * Starts the view (view-child.js beside this file) on our terminal. It shares our process group, so a
 * terminal that closes sends SIGHUP to both; the apps are in groups of their own and are stopped by us.
 */
export function startView(options: ViewOptions): ViewProcess {
  const self = new URL(import.meta.url);
  const extension = self.pathname.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./view-child${extension}`, self);
  // React's production build (30–40 % faster) for the view only: the apps do not inherit it from us.
  const env = { ...VIEW_MALLOC, ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production', [VIEW_ENV]: encodeViewOptions(options) };
  const settings = terminalSettings();
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, ...VIEW_NODE_FLAGS, entry.pathname], { stdio: 'inherit', env });
  const exited = new Promise<ViewExit>((resolve) => {
    child.once('error', (error) => resolve({ kind: 'crash', why: error.message }));
    child.once('exit', (code, signal) => {
      const outcome = viewExitOf(code, signal);
      if (outcome.kind === 'crash') restoreTerminal(settings);
      resolve(outcome);
    });
  });
  const stop = async (graceMs = 2000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await once(child, 'exit').catch(() => undefined);
    clearTimeout(timer);
  };
  return { pid: child.pid, exited, stop };
}

/** The terminal's settings as `stty -g` gives them, before the view puts it in raw mode. */
function terminalSettings(): string | undefined {
  const result = spawnSync('stty', ['-g'], { stdio: ['inherit', 'pipe', 'ignore'], encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * A view that crashed may have left the terminal in raw mode (Ctrl-C would no longer reach us), in the
 * alternate screen, with mouse reporting on. Raw mode is the terminal's, not a process's: stty puts back
 * the settings it had before (Node's own setRawMode(false) does nothing in a process that never set it).
 */
function restoreTerminal(settings: string | undefined): void {
  if (process.stdout.isTTY) process.stdout.write(RESTORE_TERMINAL);
  if (process.stdin.isTTY) spawnSync('stty', [settings ?? 'sane'], { stdio: ['inherit', 'ignore', 'ignore'] });
}
