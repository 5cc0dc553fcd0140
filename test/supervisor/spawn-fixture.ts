import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from '../helpers/proc.js';
import { FIXTURES, tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

let base: string | undefined;

/** A fresh folder inside one temp folder per test file (each tempDir adds an exit listener). */
export function scratchDir(): string {
  base ??= tempDir('nu-sup-');
  return fs.mkdtempSync(path.join(base, 'x-'));
}

/** Kills a pid if it still runs; a pid that is gone or not ours is fine. */
export function killQuietly(pid: number, target: number = pid): void {
  if (!isAlive(pid)) return;
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts a fixture in its own process group; its group is killed at teardown. */
export function startFixture(t: Teardown, script: string, args: readonly string[] = []): ChildProcess & { readonly pid: number } {
  const child = spawn(process.execPath, [path.join(FIXTURES, 'procs', script), ...args], { stdio: 'ignore', detached: true });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${script}`);
  t.teardown(() => killQuietly(pid, -pid));
  return Object.assign(child, { pid });
}

/** Starts tree.js and waits for the pids it writes (itself, the in-group grandchild, and the escaped one). */
export async function startTree(t: Teardown, escape: boolean): Promise<readonly number[]> {
  const pidfile = path.join(scratchDir(), 'pids');
  startFixture(t, 'tree.js', escape ? [pidfile, 'escape'] : [pidfile]);
  const expected = escape ? 3 : 2;
  const pids = await waitFor(() => readPids(pidfile, expected), { timeoutMs: 10_000, what: 'tree.js to write its pids' });
  t.teardown(() => pids.forEach((pid) => killQuietly(pid)));
  return pids;
}

function readPids(file: string, count: number): readonly number[] | undefined {
  try {
    const pids = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
    return pids.length >= count ? pids : undefined;
  } catch {
    return undefined;
  }
}
