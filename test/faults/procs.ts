import fs from 'node:fs';
import path from 'node:path';
import { MARKER_NAME } from '../../src/supervisor/orphan-guard.js';
import { environValue, markerMatches } from '../../src/supervisor/proctable.js';
import { isRunning, listProcesses } from '../../src/util/proc.js';
import { isAlive } from '../helpers/proc.js';

export { readTreePids } from '../helpers/proc.js';
import { FIXTURES } from '../helpers/tmp.js';

export const PROCS = path.join(FIXTURES, 'procs');


/** `count` tree.js apps (every other one with a grandchild that leaves the group), writing their pids into `dir`. */
export function treeApps(dir: string, count: number, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `tree${i}`,
    script: path.join(PROCS, 'tree.js'),
    args: [path.join(dir, `pids-${i}`), ...(i % 2 === 0 ? ['escape'] : [])],
    ...extra,
  }));
}

/** The value of NODE_UNIT_GUARD in a process's environment (the supervisor's marker every app inherits). */
export function guardMarkerOf(pid: number): string | undefined {
  try {
    const entry = fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').find((e) => e.startsWith(`${MARKER_NAME}=`));
    return entry?.slice(MARKER_NAME.length + 1);
  } catch {
    return undefined;
  }
}

/**
 * Every running (not zombie) process carrying the marker of the supervisor that `value` names: an instance
 * run's marker (`<supervisor>/<run>`) stands for its supervisor's, so every instance of it counts.
 */
export function markedProcesses(value: string): number[] {
  const supervisor = value.split('/')[0] ?? value;
  return listProcesses()
    .filter((stat) => isRunning(stat) && stat.pid !== process.pid)
    .filter((stat) => markerMatches(environValue(stat.pid, MARKER_NAME), { value: supervisor, family: true }))
    .map((stat) => stat.pid);
}

export function stillAlive(pids: readonly number[]): number[] {
  return pids.filter(isAlive);
}

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far (fields 14 and 15 of /proc/PID/stat). */
export function cpuSeconds(pid: number): number {
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident memory in bytes (VmRSS of /proc/PID/status). */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

/** Open file descriptors (entries of /proc/PID/fd). */
export function openFds(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/**
 * Fds of pipes the supervisor made ahead for the next starts (src/supervisor/pipes.ts): a FIFO whose both
 * ends it still holds. Their number swings with the pool's batches, so growth is measured without them.
 */
export function spareFifoFds(pid: number): number {
  const endsPerFifo = new Map<number, number>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (!/node-unit-pipes-.* \(deleted\)$/.test(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))) continue;
      const inode = fs.statSync(`/proc/${pid}/fd/${fd}`).ino;
      endsPerFifo.set(inode, (endsPerFifo.get(inode) ?? 0) + 1);
    } catch {
      // closed while we looked
    }
  }
  return [...endsPerFifo.values()].filter((ends) => ends >= 2).reduce((sum, ends) => sum + ends, 0);
}

/** Open fds, not counting the spare pipes of the pool. */
export function fdsInUse(pid: number): number {
  return openFds(pid) - spareFifoFds(pid);
}

/** Open file descriptors grouped by what they point at: pipe, socket, anon_inode:…, or the file's name. */
export function fdKinds(pid: number): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const kind = /^(pipe|socket):/.exec(target)?.[1] ?? (target.startsWith('anon_inode:') ? target : path.basename(target));
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return kinds;
}

/** What grew or shrank between two fdKinds snapshots, e.g. "socket +3, api-out.log -1". */
export function fdKindsDiff(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): string {
  const names = new Set([...before.keys(), ...after.keys()]);
  const changes = [...names].flatMap((name) => {
    const delta = (after.get(name) ?? 0) - (before.get(name) ?? 0);
    return delta === 0 ? [] : [`${name} ${delta > 0 ? '+' : ''}${delta}`];
  });
  return changes.length === 0 ? 'none' : changes.join(', ');
}
