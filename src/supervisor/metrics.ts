import { listProcesses, type ProcStat } from '../util/proc.js';
import { childMap, walkChildren } from './proctable.js';
import { procAvailable, readUsageWithPidusage, usageFromStats } from './usage.js';

export interface TreeUsage {
  /** Percent of one core, summed over the tree (200 = two busy cores), since the previous sample of each pid. */
  readonly cpu: number;
  /** Resident memory in bytes, summed over the tree. */
  readonly memory: number;
  /** The pids that were measured (the root first when it is alive). */
  readonly pids: readonly number[];
}

/**
 * Each root mapped to itself plus all its descendants (by parent pid), from one pass over /proc.
 * A root that is gone maps to itself only: its orphans were re-parented and are no longer its tree.
 */
export function descendants(roots: readonly number[], table: readonly ProcStat[] = listProcesses()): ReadonlyMap<number, readonly number[]> {
  const children = childMap(table);
  return new Map(roots.map((root) => [root, walkChildren([root], children)]));
}

/** CPU and memory of each root's whole process tree, measured in one batched sample. */
export async function sampleTrees(roots: readonly number[]): Promise<ReadonlyMap<number, TreeUsage>> {
  // One pass over /proc serves both the tree walk and the readings.
  const table = procAvailable() ? listProcesses() : [];
  const trees = descendants(roots, table);
  const all = new Set([...trees.values()].flat());
  const stats = procAvailable() ? await usageFromStats(table.filter((stat) => all.has(stat.pid))) : await readUsageWithPidusage([...all]);
  const usage = new Map<number, TreeUsage>();
  for (const [root, tree] of trees) {
    let cpu = 0;
    let memory = 0;
    const pids: number[] = [];
    for (const pid of tree) {
      const stat = stats.get(pid);
      if (!stat) continue;
      cpu += Number.isFinite(stat.cpu) ? stat.cpu : 0;
      memory += Number.isFinite(stat.memory) ? stat.memory : 0;
      pids.push(pid);
    }
    usage.set(root, { cpu, memory, pids });
  }
  return usage;
}
