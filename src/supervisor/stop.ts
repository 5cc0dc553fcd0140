import { listProcesses, readProcStat, signal as send, isRunning as statIsRunning, type ProcStat } from '../util/proc.js';
import { currentProcessList, findTree, groupHasLiveMember, refreshSharedProcessList, sharedProcessList, type MarkerQuery, type TreeQuery } from './proctable.js';
import { HAS_PROC, killTreeWithPs } from './ps-tree-kill.js';

export interface EndOptions {
  readonly signal: NodeJS.Signals;
  readonly timeoutMs: number;
  /** Freeze everything with SIGSTOP before the first signal, so nothing forks or is re-parented mid-walk (the watchdog's sweep). */
  readonly freeze?: boolean;
  /** True once the root has exited (its 'exit' event fired): a stop ends only then. */
  readonly isExited?: () => boolean;
  /** Settles when the root exits: a poll waiting for it wakes at once instead of at its next tick. */
  readonly exit?: Promise<unknown>;
}

export interface StopOptions extends EndOptions {
  /** The root leads its own process group (detached spawn), so the group can be signalled at once. */
  readonly group: boolean;
  /** The instance's own marker: descendants that left the group and were re-parented still carry it. */
  readonly marker?: MarkerQuery;
}

export interface StopOutcome {
  /** SIGKILL was needed. */
  readonly forced: boolean;
  /** Pids still alive after SIGKILL (should be empty). */
  readonly survivors: readonly number[];
}

/** Most processes exit within milliseconds of the signal: poll fast at first, then back off. */
const FIRST_POLL_MS = 2;
const MAX_POLL_MS = 50;
const KILL_GRACE_MS = 3000;

function pause(ms: number, wake: Promise<unknown> | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void wake?.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The processes found so far, by pid and start time (a pid reused meanwhile is not ours). */
class Victims {
  private readonly known = new Map<number, number>();

  constructor(private readonly query: TreeQuery) {}

  /** Rescans in a fresh listing; returns the processes not seen before. */
  scan(table: readonly ProcStat[] = listProcesses()): readonly number[] {
    const fresh: number[] = [];
    for (const stat of findTree(this.query, table)) {
      if (this.known.get(stat.pid) === stat.startTime) continue;
      this.known.set(stat.pid, stat.startTime);
      fresh.push(stat.pid);
    }
    return fresh;
  }

  /**
   * The first look shares the listing other stops took in this run of JavaScript: 60 stops of `restart all`
   * then read /proc once, not 60 times. An older listing could miss a process forked just before the stop.
   */
  firstLook(): readonly number[] {
    return this.scan(currentProcessList());
  }

  /**
   * Once all it knew are gone: what is left (forked meanwhile, or missed by the first look). Stops that end
   * together share a listing, but only one that shows none of this stop's processes still running, so it
   * was taken after they died and holds everything they forked; an older one is listed afresh.
   */
  lastLook(): readonly number[] {
    const shared = sharedProcessList();
    return this.scan(shared.some((stat) => this.holds(stat)) ? refreshSharedProcessList() : shared);
  }

  private holds(stat: ProcStat): boolean {
    return statIsRunning(stat) && (this.known.get(stat.pid) === stat.startTime || this.query.groups.includes(stat.pgid) || this.query.roots.includes(stat.pid));
  }

  alive(): readonly number[] {
    return [...this.known].filter(([pid, startTime]) => isSame(readProcStat(pid), startTime)).map(([pid]) => pid);
  }

  signal(pids: readonly number[], sig: NodeJS.Signals): void {
    for (const group of this.query.groups) send(-group, sig);
    for (const pid of pids) send(pid, sig);
    // Without /proc the walk finds nothing below the roots: ps names their descendants instead.
    if (!HAS_PROC) for (const root of this.query.roots) void killTreeWithPs(root, sig);
  }

  groupsEmpty(): boolean {
    return this.query.groups.every((group) => !groupHasLiveMember(group));
  }
}

function isSame(stat: ProcStat | undefined, startTime: number): boolean {
  return statIsRunning(stat) && stat.startTime === startTime;
}

/**
 * Waits until every known process is gone, the root has exited and the groups are empty; then rescans once
 * (a process forked meanwhile is signalled too and waited for). Returns what is still alive at the deadline.
 */
async function waitGone(victims: Victims, sig: NodeJS.Signals, deadline: number, options: EndOptions): Promise<readonly number[]> {
  for (let wait = FIRST_POLL_MS; ; wait = Math.min(MAX_POLL_MS, wait * 2)) {
    const alive = victims.alive();
    const rootDone = options.isExited?.() ?? true;
    const pastDeadline = Date.now() >= deadline;
    // A busy event loop may not have seen the root's exit by the deadline: the last look is still owed.
    if (alive.length === 0 && (rootDone || pastDeadline) && victims.groupsEmpty()) {
      const late = victims.lastLook();
      if (late.length === 0) return [];
      victims.signal(late, sig);
      continue;
    }
    if (pastDeadline) return alive;
    await pause(Math.min(wait, Math.max(1, deadline - Date.now())), rootDone ? undefined : options.exit);
  }
}

/**
 * Ends everything the query names: the signal (after SIGSTOP and followed by SIGCONT when freezing), then
 * SIGKILL after the timeout. Finishes only when all are gone, rescanning for any forked in between.
 */
export async function endTree(query: TreeQuery, options: EndOptions): Promise<StopOutcome> {
  const victims = new Victims(query);
  let first = victims.firstLook();
  if (options.freeze) {
    victims.signal(first, 'SIGSTOP');
    first = [...first, ...victims.scan()];
    victims.signal(first, 'SIGSTOP');
  }
  victims.signal(first, options.signal);
  if (options.freeze) victims.signal(first, 'SIGCONT');
  const left = await waitGone(victims, options.signal, Date.now() + options.timeoutMs, options);
  if (left.length === 0 && victims.groupsEmpty()) return { forced: false, survivors: [] };
  victims.scan();
  victims.signal(victims.alive(), 'SIGKILL');
  const survivors = await waitGone(victims, 'SIGKILL', Date.now() + KILL_GRACE_MS, options);
  return { forced: true, survivors };
}

function treeQuery(root: number, group: boolean, marker: MarkerQuery | undefined): TreeQuery {
  return { roots: [root], groups: group ? [root] : [], ...(marker ? { marker } : {}) };
}

/** Stops one instance's whole tree: its group, its descendants, and whatever carries its marker. */
export function stopProcessTree(root: number, options: StopOptions): Promise<StopOutcome> {
  return endTree(treeQuery(root, options.group, options.marker), options);
}

/** Immediate SIGKILL of a tree, for the second Ctrl-C. */
export function killProcessTree(root: number, group: boolean, marker?: MarkerQuery): void {
  const query = treeQuery(root, group, marker);
  new Victims(query).signal(findTree(query).map((stat) => stat.pid), 'SIGKILL');
}
