import fs from 'node:fs';
import path from 'node:path';
import { isRunning, readProcStat } from '../../src/util/proc.js';

/** Alive means present and not a zombie: kill(pid, 0) succeeds on zombies, so the state letter decides. */
export function isAlive(pid: number): boolean {
  return isRunning(readProcStat(pid));
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
