import fs from 'node:fs';
import path from 'node:path';
import { isRunning, readProcStat } from '../../src/util/proc.js';

/** Alive means present and not a zombie: kill(pid, 0) succeeds on zombies, so the state letter decides. */
export function isAlive(pid: number): boolean {
  return isRunning(readProcStat(pid));
}

/** A process named for good: its pid and its start time (a pid the kernel hands out again is another process). */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: number;
}

/** The identities of processes alive now (undefined when one is not). */
export function identify(pids: readonly number[]): readonly ProcessIdentity[] | undefined {
  const found: ProcessIdentity[] = [];
  for (const pid of pids) {
    const stat = readProcStat(pid);
    if (!isRunning(stat)) return undefined;
    found.push({ pid, startTime: stat.startTime });
  }
  return found;
}

/** Those still running as the same process, each described by its /proc stat and command line. */
export function survivors(identities: readonly ProcessIdentity[]): readonly string[] {
  return identities.flatMap(({ pid, startTime }) => {
    const stat = readProcStat(pid);
    if (!isRunning(stat) || stat.startTime !== startTime) return [];
    let command = '';
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {}
    return [`pid ${pid} state ${stat.state} ppid ${stat.ppid} pgid ${stat.pgid} started ${stat.startTime}: ${command}`];
  });
}

/** The pids each tree.js app wrote to `<dir>/pids-<i>`; undefined until every file is complete. */
export function readTreePids(dir: string, count: number): number[] | undefined {
  const pids: number[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `pids-${i}`);
    if (!fs.existsSync(file)) return undefined;
    const text = fs.readFileSync(file, 'utf8');
    if (!text.endsWith('\n')) return undefined;
    pids.push(...text.trim().split('\n').map(Number));
  }
  return pids;
}
