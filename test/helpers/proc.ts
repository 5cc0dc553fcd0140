import { isRunning, readProcStat } from '../../src/util/proc.js';

/** Alive means present and not a zombie: kill(pid, 0) succeeds on zombies, so the state letter decides. */
export function isAlive(pid: number): boolean {
  return isRunning(readProcStat(pid));
}
