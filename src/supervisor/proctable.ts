import fs from 'node:fs';
import { isRunning as statIsRunning, listProcesses, readProcStat, type ProcStat } from '../util/proc.js';

/** Every live (non-zombie) process, read in one pass over /proc. */
export function readProcTable(): ReadonlyMap<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  for (const stat of listProcesses()) if (statIsRunning(stat)) table.set(stat.pid, stat);
  return table;
}

/** Alive = exists and is not a zombie (kill(pid, 0) succeeds on zombies). */
export function isRunning(pid: number): boolean {
  return statIsRunning(readProcStat(pid));
}

/** Parent pid → its children, from one listing of processes. */
export function childMap(stats: Iterable<ProcStat>): ReadonlyMap<number, readonly number[]> {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of stats) {
    const siblings = children.get(ppid);
    if (siblings) siblings.push(pid);
    else children.set(ppid, [pid]);
  }
  return children;
}

/** The starts and everything below them, starts first. A pid recycled during a /proc pass cannot make it loop. */
export function walkChildren(starts: readonly number[], children: ReadonlyMap<number, readonly number[]>): readonly number[] {
  const found = [...new Set(starts)];
  const seen = new Set(found);
  for (let i = 0; i < found.length; i++) {
    for (const child of children.get(found[i] ?? -1) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        found.push(child);
      }
    }
  }
  return found;
}

/** The root and all its descendants (by parent links), plus every member of the root's process group. */
export function processTree(root: number, table: ReadonlyMap<number, ProcStat> = readProcTable()): readonly number[] {
  const members = [...table.values()].filter((entry) => entry.pgid === root).map((entry) => entry.pid);
  return walkChildren([root, ...members], childMap(table.values())).filter((pid) => pid === root || table.has(pid));
}

/** Direct children from /proc/PID/task/TID/children (every thread's), or undefined when the kernel lacks it. */
function childrenOf(pid: number): number[] | undefined {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const tid of tids) {
    try {
      for (const word of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (word !== '') children.push(Number(word));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && tid === String(pid)) return undefined;
    }
  }
  return children;
}

/**
 * The root and its descendants, walking child links only (no scan of all of /proc, which costs ~10 ms per
 * hundred processes); falls back to the full scan when the kernel has no children files.
 */
export function descendantsOf(root: number): readonly number[] {
  const found: number[] = [];
  const seen = new Set<number>();
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const children = childrenOf(pid);
    if (children === undefined) return processTree(root);
    if (pid === root || isRunning(pid)) found.push(pid);
    queue.push(...children);
  }
  return found;
}

/** Whether any live process is in the group. kill(-pgid, 0) answers "none" without a scan; zombies need one. */
export function groupHasLiveMember(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  for (const entry of readProcTable().values()) if (entry.pgid === pgid) return true;
  return false;
}
