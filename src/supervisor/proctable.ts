import fs from 'node:fs';
import { isRunning as statIsRunning, listProcesses, readProcStat, type ProcStat } from '../util/proc.js';

/**
 * The one process-tree walker: the graceful stop, the second Ctrl-C, the watchdog's sweep (it execs
 * reaper-main.ts), the next start's reaping and the metrics all find processes here.
 */

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

/**
 * An environment variable every managed process inherits. `value` matches the variable's value exactly or
 * as a family: `value` itself and every `value/…` (a supervisor's marker and its instances' markers).
 */
export interface MarkerQuery {
  readonly name: string;
  readonly value: string;
  readonly family: boolean;
  /** Only processes started at or after this start time (clock ticks) can carry it: older ones are not read. */
  readonly since: number;
}

/** What belongs to one stop: trees under the roots, members of the groups, and carriers of the marker. */
export interface TreeQuery {
  readonly roots: readonly number[];
  readonly groups: readonly number[];
  readonly marker?: MarkerQuery;
}

/** The value of variable `name` in a process's environment, or undefined (absent, gone, or not ours to read). */
export function environValue(pid: number, name: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return undefined;
  }
  const key = `${name}=`;
  const inside = text.indexOf(`\0${key}`);
  const start = text.startsWith(key) ? 0 : inside < 0 ? -1 : inside + 1;
  if (start < 0) return undefined;
  const end = text.indexOf('\0', start);
  return text.slice(start + key.length, end < 0 ? undefined : end);
}

/** Markers found, by pid, for the process that had that pid at that start time. */
const markers = new Map<number, { readonly startTime: number; readonly name: string; readonly value: string }>();

/**
 * A process's marker, read once per process once found: `restart all` with 60 apps runs 60 stops whose
 * rescans would each read the environment of every process started since (thousands of reads, seen to stall
 * the loop for seconds). A process inherits the marker at its start and keeps it; one that clears it by
 * exec'ing with `env -i` stays ours once seen. An absence is never remembered: an environment read while the
 * process execs can come back empty, and a grandchild missed then would outlive its stop.
 */
function markerOf(stat: ProcStat, name: string, table: readonly ProcStat[]): string | undefined {
  const known = markers.get(stat.pid);
  if (known && known.startTime === stat.startTime && known.name === name) return known.value;
  const value = environValue(stat.pid, name);
  if (value === undefined) return undefined;
  if (markers.size > 2 * table.length + 64) {
    const live = new Set(table.map((entry) => entry.pid));
    for (const pid of markers.keys()) if (!live.has(pid)) markers.delete(pid);
  }
  markers.set(stat.pid, { startTime: stat.startTime, name, value });
  return value;
}

export function markerMatches(value: string | undefined, marker: Pick<MarkerQuery, 'value' | 'family'>): boolean {
  if (value === undefined) return false;
  return value === marker.value || (marker.family && value.startsWith(`${marker.value}/`));
}

/**
 * Every running process the query names, from one pass over /proc: the roots, the groups' members and the
 * marker's carriers (also those that left the group and were re-parented), then everything below them.
 * Never this process, never pid 1.
 */
export function findTree(query: TreeQuery, table: readonly ProcStat[] = listProcesses()): readonly ProcStat[] {
  const groups = new Set(query.groups);
  const { marker } = query;
  const starts = [...query.roots];
  for (const stat of table) {
    if (groups.has(stat.pgid)) starts.push(stat.pid);
    else if (marker && stat.startTime >= marker.since && stat.pid !== process.pid && markerMatches(markerOf(stat, marker.name, table), marker)) starts.push(stat.pid);
  }
  const found = new Set(walkChildren(starts, childMap(table)));
  return table.filter((stat) => found.has(stat.pid) && stat.pid !== process.pid && stat.pid > 1 && statIsRunning(stat));
}

let shared: readonly ProcStat[] | undefined;
/** True until the current run of JavaScript (one callback and its microtasks) ends. */
let sharedInThisRun = false;

/**
 * One listing of /proc shared by everything that asks until the next check phase of the event loop:
 * `stop all` and `restart all` start a hundred stops at once, and each would otherwise read every process's
 * stat. It may be older than the caller's own last signal or a fork just made: callers that need a listing
 * taken after some moment check it, or ask for currentProcessList.
 */
export function sharedProcessList(): readonly ProcStat[] {
  return shared ?? refreshSharedProcessList();
}

/**
 * The shared listing if it was taken in this run of JavaScript (the stops that `restart all` begins
 * together), else a new one: whatever existed when the caller's callback began is in it.
 */
export function currentProcessList(): readonly ProcStat[] {
  return sharedInThisRun && shared ? shared : refreshSharedProcessList();
}

/** Lists /proc now, and shares that listing from here on (see sharedProcessList). */
export function refreshSharedProcessList(): readonly ProcStat[] {
  if (shared === undefined) setImmediate(() => (shared = undefined));
  if (!sharedInThisRun) {
    sharedInThisRun = true;
    queueMicrotask(() => (sharedInThisRun = false));
  }
  shared = listProcesses();
  return shared;
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
