import treeKill from 'tree-kill';
import { descendantsOf, groupHasLiveMember, isRunning, processTree, readProcTable } from './proctable.js';

export interface StopOptions {
  readonly signal: NodeJS.Signals;
  readonly timeoutMs: number;
  /** The root leads its own process group (detached spawn), so the group can be signalled at once. */
  readonly group: boolean;
  /** True once the root has exited (its 'exit' event fired). */
  readonly isExited: () => boolean;
  /** Settles when the root exits: a poll waiting for it wakes at once instead of at its next tick. */
  readonly exit?: Promise<unknown>;
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

function signalAll(pids: readonly number[], root: number, group: boolean, signal: NodeJS.Signals): void {
  if (group) {
    try {
      process.kill(-root, signal);
    } catch {
      // the group is already empty
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function groupMembers(root: number): number[] {
  const members: number[] = [];
  for (const entry of readProcTable().values()) if (entry.pgid === root) members.push(entry.pid);
  return members;
}

function pause(ms: number, wake: Promise<unknown> | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void wake?.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function waitGone(pids: () => readonly number[], isExited: () => boolean, deadline: number, groupEmpty: () => boolean, exit?: Promise<unknown>): Promise<readonly number[]> {
  for (let wait = FIRST_POLL_MS; ; wait = Math.min(MAX_POLL_MS, wait * 2)) {
    const alive = pids().filter(isRunning);
    if (alive.length === 0 && isExited() && groupEmpty()) return [];
    if (Date.now() >= deadline) return alive;
    await pause(Math.min(wait, Math.max(1, deadline - Date.now())), isExited() ? undefined : exit);
  }
}

/**
 * Stops a whole process tree: the signal to the group and every descendant (snapshotted first, so children
 * that left the group are found while still linked), then SIGKILL after the timeout. Finishes only when all
 * are gone.
 */
export async function stopProcessTree(root: number, options: StopOptions): Promise<StopOutcome> {
  const tree = new Set(descendantsOf(root));
  const groupEmpty = (): boolean => !options.group || !groupHasLiveMember(root);
  signalAll([...tree], root, options.group, options.signal);
  const left = await waitGone(() => [...tree], options.isExited, Date.now() + options.timeoutMs, groupEmpty, options.exit);
  if (left.length === 0 && groupEmpty()) return { forced: false, survivors: [] };
  for (const pid of options.group ? [...left, ...groupMembers(root)] : left) for (const child of processTree(pid)) tree.add(child);
  const current = (): number[] => [...new Set([...tree, ...(options.group ? groupMembers(root) : [])])];
  signalAll(current(), root, options.group, 'SIGKILL');
  for (const pid of left) treeKill(pid, 'SIGKILL');
  const survivors = await waitGone(current, options.isExited, Date.now() + KILL_GRACE_MS, groupEmpty);
  return { forced: true, survivors };
}

/** Immediate SIGKILL of a tree, for the second Ctrl-C. */
export function killProcessTree(root: number, group: boolean): void {
  signalAll(processTree(root), root, group, 'SIGKILL');
}
