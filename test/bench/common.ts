/** What the bench scripts share: paths, temp folders, bounded waits, /proc readings, both supervisors started. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectControl } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import type { Pm2 } from './pm2.js';

export const ROOT = process.cwd();
export const CLI = path.join(ROOT, 'bin', 'node-unit.js');
export const fixture = (name: string): string => path.join(ROOT, 'test', 'fixtures', 'procs', name);
export const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-'));
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type AppConfig = Readonly<Record<string, unknown>>;

export async function until(check: () => boolean | Promise<boolean>, limitMs: number, what: string, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out after ${limitMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function writeConfig(dir: string, apps: readonly AppConfig[]): string {
  const file = path.join(dir, 'ecosystem.config.cjs');
  fs.writeFileSync(file, `module.exports = ${JSON.stringify({ apps })};\n`);
  return file;
}

const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

/** CPU (user + sys) in ms and RSS in MiB of one process, from /proc/PID/stat; undefined once it is gone. */
export function procStat(pid: number): { readonly cpuMs: number; readonly rssMiB: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssMiB: (Number(fields[21]) * PAGE_BYTES) / 1024 / 1024 };
  } catch {
    return undefined;
  }
}

export const cpuMsOf = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + (procStat(pid)?.cpuMs ?? 0), 0);
export const rssMiBOf = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + (procStat(pid)?.rssMiB ?? 0), 0);

export async function stopChild(child: ChildProcess, limitMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  await exited;
  clearTimeout(timer);
}

export interface NodeUnitRun {
  readonly child: ChildProcess;
  readonly dir: string;
  /** Pids of the online instances, in list order. */
  readonly appPids: () => Promise<number[]>;
  readonly stop: () => Promise<void>;
}

/** Pids of the online instances of the supervisor whose config is in `dir` (default state folder), via its socket. */
export async function nodeUnitAppPids(dir: string): Promise<number[]> {
  const client = await connectControl(controlSocketPath(path.join(dir, '.node-unit'))).catch(() => undefined);
  if (!client) return [];
  const list = await client.list();
  await client.close();
  return list.flatMap((info) => (info.state.status === 'online' ? [info.state.pid] : []));
}

/** `node-unit up` headless in `dir` (its config already written), resolved once `apps` instances are online. */
export async function startNodeUnit(dir: string, apps: number, limitMs = 60_000): Promise<NodeUnitRun> {
  const child = spawn(process.execPath, [CLI, 'up', '--no-tui', '--no-auto-exit'], { cwd: dir, stdio: 'ignore' });
  const appPids = (): Promise<number[]> => nodeUnitAppPids(dir);
  const stop = (): Promise<void> => stopChild(child);
  try {
    await until(async () => (await appPids()).length === apps, limitMs, `${apps} apps online under node-unit`, 50);
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, dir, appPids, stop };
}

interface Pm2Entry {
  readonly pid?: number;
  readonly pm2_env?: { readonly status?: string };
}

export function pm2List(pm2: Pm2): readonly Pm2Entry[] {
  const parsed: unknown = JSON.parse(pm2.run(['jlist']));
  return Array.isArray(parsed) ? (parsed as Pm2Entry[]) : [];
}

export const pm2OnlinePids = (pm2: Pm2): number[] => pm2List(pm2).flatMap((p) => (p.pm2_env?.status === 'online' && typeof p.pid === 'number' ? [p.pid] : []));

export const pm2DaemonPid = (pm2: Pm2): number => Number(fs.readFileSync(path.join(pm2.home, 'pm2.pid'), 'utf8'));

export async function pm2StartAll(pm2: Pm2, config: string, apps: number, limitMs = 120_000): Promise<void> {
  pm2.run(['start', config]);
  // Each poll is a jlist, which costs pm2 real work with hundreds of apps: poll gently.
  await until(() => pm2OnlinePids(pm2).length === apps, limitMs, `${apps} apps online under pm2`, Math.max(50, apps));
}

/** Runs the measurements in an order that flips every round, so drift on a shared machine hits each alike. */
export async function alternate(round: number, steps: readonly (() => Promise<void>)[]): Promise<void> {
  for (const step of round % 2 === 0 ? steps : [...steps].reverse()) await step();
}

/** Whether the supervisor running in `dir` reports app `name` exited (asked over its control socket). */
export async function appExited(dir: string, name: string): Promise<boolean> {
  const client = await connectControl(controlSocketPath(path.join(dir, '.node-unit'))).catch(() => undefined);
  if (!client) return false;
  const list = await client.list();
  await client.close();
  return list.some((info) => info.app === name && info.state.status === 'exited');
}
