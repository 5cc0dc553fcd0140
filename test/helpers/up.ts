import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import type { ExecutionContext } from 'ava';
import { CLI } from './cli.js';
import { PROJECT_ROOT } from './tmp.js';
import { waitFor } from './wait.js';

export interface UpProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly waitForLine: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
}

/** Runs `node-unit up` in the background (no TTY), collecting its output. Killed when the test ends. */
export function startUp(t: ExecutionContext, args: readonly string[], options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}): UpProcess {
  const child = spawn(process.execPath, [CLI, 'up', ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    output: () => output,
    exited,
    waitForLine: (pattern, timeoutMs = 15_000) =>
      waitFor(() => output.split('\n').find((line) => pattern.test(line)), { timeoutMs, what: `a line matching ${pattern} in:\n${output.slice(-2000)}` }),
  };
}

/**
 * Stops a process the way a user's Ctrl-C would (SIGTERM), and only if it has not exited within `graceMs`
 * kills it, so that a test that hangs there ends anyway; resolves once it has exited.
 */
export async function stopProcess(child: ChildProcess, exited: Promise<unknown>, graceMs = 10_000): Promise<void> {
  child.kill('SIGTERM');
  const stopped = new AbortController();
  const late = delay(graceMs, 'late' as const, { signal: stopped.signal }).catch(() => 'exited' as const);
  if ((await Promise.race([exited.then(() => 'exited' as const), late])) === 'late') child.kill('SIGKILL');
  stopped.abort();
  await exited;
}
