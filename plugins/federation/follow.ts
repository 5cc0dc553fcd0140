import crypto from 'node:crypto';
import { LogCredit, runAfter, runWeight, type Controller, type LogRun, type LogStream, type Unsubscribe } from '../../src/index.js';
import { RelayQueue, type RelayItem } from './relay-queue.js';
import type { RemoteNode } from './master.js';
import type { NodeOutcome } from './route.js';

/**
 * `logs -f --node`: the master subscribes to each named node's log lines as runs (its own Controller, or a
 * worker's remote one) and queues them for the viewer in one bounded queue. A worker sends only what the
 * follow's credit allows (see FOLLOW_CREDIT_BYTES) and drops the rest itself, counted in a marker; the master's
 * own lines are dropped here past 1 MiB, counted the same way. So a viewer that reads slowly never makes the
 * master grow or a worker wait. The viewer polls with `next`, several polls in flight so that the round trip
 * does not bound the rate: waiting polls are answered in the order they came, each with what the queue holds
 * when it is answered, so no line is handed out twice or out of order. Tail and follow meet without gaps or
 * duplicates because each node is subscribed before its tail is read, and lines at or before the tail's last
 * sequence number are dropped.
 */

export interface FollowSource {
  readonly node: string;
  readonly controller: Controller;
}

export interface FollowRequest {
  readonly target: string | undefined;
  readonly streams: readonly LogStream[] | undefined;
}

/** What a poll answers: runs of lines (one string per run, see packLines), markers where lines were dropped, and notes. */
export type FollowItem = { readonly kind: 'run'; readonly run: LogRun } | Exclude<RelayItem<LogRun>, { readonly kind: 'line' }> | { readonly kind: 'note'; readonly node: string; readonly message: string };

const MAX_FOLLOWS = 16;
/** A follow nobody polled for this long is closed. */
const IDLE_MS = 15_000;
const TAKE_BYTES = 256 * 1024;
/**
 * Bytes of lines the workers of one follow may send before its viewer has shown them (credit), shared out
 * among the nodes it follows (at least MIN_WINDOW_BYTES each). The follow's queue holds all of it, so a
 * worker that keeps within its credit never has a line dropped here: past it, the worker drops lines itself,
 * before encoding or sealing them, and a slow viewer costs the worker, the link and the master nothing for
 * lines it would not show.
 */
export const FOLLOW_CREDIT_BYTES = 4 * 1024 * 1024;
const MIN_WINDOW_BYTES = 256 * 1024;
/** What the follow queues of its own node's lines (they cost no link): past it they are dropped and counted. */
const LOCAL_QUEUE_BYTES = 1024 * 1024;

/** Each remote node's window in a follow of `remotes` of them. */
export const windowFor = (remotes: number): number => Math.max(MIN_WINDOW_BYTES, Math.floor(FOLLOW_CREDIT_BYTES / Math.max(1, remotes)));

const MAX_WAIT_MS = 2000;
/** Polls of one follow waiting at once; more are answered at once with nothing. */
const MAX_WAITERS = 8;

type Waiter = (items: readonly FollowItem[]) => void;

class Follow {
  readonly queue: RelayQueue<LogRun>;
  readonly notes: FollowItem[] = [];
  readonly stops: Unsubscribe[] = [];
  readonly lastSeq = new Map<string, number>();
  readonly early = new Map<string, LogRun[]>();
  readonly waiters: Waiter[] = [];
  /** Each remote node's credit: what the viewer was handed (or what was let go of here) goes back to it. */
  readonly credits = new Map<string, LogCredit>();
  polledAt = Date.now();

  constructor(
    readonly streams: readonly LogStream[] | undefined,
    queueBytes: number,
  ) {
    this.queue = new RelayQueue<LogRun>(queueBytes);
  }

  /** A node's lines, as runs: relayed whole, one queue entry per run, never an object per line. */
  onRuns(node: string, runs: readonly LogRun[]): void {
    const known = this.lastSeq.get(node);
    // Before the tail is known, lines wait so that the tail can decide which are new.
    const early = known === undefined ? this.early.get(node) : undefined;
    let last = known ?? -1;
    let unqueued = 0;
    const letGo = (weight: number): number => (unqueued += weight);
    for (const run of runs) {
      if (this.streams && !this.streams.includes(run.stream) && run.skipped === undefined) unqueued += runWeight(run);
      else if (known === undefined) early?.push(run);
      else last = this.relay(node, run, last, letGo);
    }
    if (known !== undefined) this.lastSeq.set(node, last);
    this.credits.get(node)?.grant(unqueued);
    this.serve();
  }

  /**
   * Queues the lines of a run later than `last` (a marker is counted as dropped); answers the latest seq
   * queued. What is not queued gives back its credit through `letGo`.
   */
  relay(node: string, run: LogRun, last: number, letGo: (weight: number) => void): number {
    if (run.skipped !== undefined) {
      this.queue.pushDropped(run.skipped);
      return last;
    }
    const fresh = runAfter(run, last);
    const weight = fresh ? runWeight(fresh) : 0;
    letGo(runWeight(run) - weight);
    if (!fresh) return last;
    if (!this.queue.push({ ...fresh, node }, weight, fresh.count)) letGo(weight);
    return fresh.seq + fresh.count - 1;
  }

  /** The tail of a node is known: lines heard before it that it does not hold are queued. */
  tailed(node: string, lastSeq: number): void {
    let last = lastSeq;
    let unqueued = 0;
    for (const run of this.early.get(node) ?? []) last = this.relay(node, run, last, (weight) => (unqueued += weight));
    this.lastSeq.set(node, last);
    this.early.delete(node);
    this.credits.get(node)?.grant(unqueued);
    this.serve();
  }

  note(node: string, message: string): void {
    this.notes.push({ kind: 'note', node, message });
    this.serve();
  }

  get holds(): boolean {
    return this.queue.length > 0 || this.notes.length > 0;
  }

  /** What the next poll gets: every note, then up to TAKE_BYTES of lines, whose credit goes back to their nodes. */
  take(): readonly FollowItem[] {
    const items = this.queue.take(TAKE_BYTES);
    if (this.credits.size > 0) this.#giveBack(items);
    return [...this.notes.splice(0), ...items.map((item): FollowItem => (item.kind === 'line' ? { kind: 'run', run: item.line } : item))];
  }

  #giveBack(items: readonly RelayItem<LogRun>[]): void {
    const taken = new Map<string, number>();
    for (const item of items) if (item.kind === 'line') taken.set(item.line.node ?? '', (taken.get(item.line.node ?? '') ?? 0) + item.size);
    for (const [node, bytes] of taken) this.credits.get(node)?.grant(bytes);
  }

  /** A poll that waits for lines, answered after the ones before it, or with nothing after `waitMs`. */
  wait(waitMs: number): Promise<readonly FollowItem[]> {
    if (this.waiters.length >= MAX_WAITERS) return Promise.resolve([]);
    return new Promise((resolve) => {
      const waiter: Waiter = (items) => (clearTimeout(timer), resolve(items));
      const timer = setTimeout(() => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        resolve([]);
      }, waitMs);
      this.waiters.push(waiter);
    });
  }

  /** Waiting polls, oldest first, each take what the queue holds while it holds anything. */
  serve(): void {
    while (this.holds) {
      const waiter = this.waiters.shift();
      if (!waiter) return;
      waiter(this.take());
    }
  }

  close(): void {
    for (const stop of this.stops) stop();
    this.stops.length = 0;
    this.serve();
    for (const waiter of this.waiters.splice(0)) waiter([]);
  }
}

/** The sequence number of a tail's last line; -1 when it has none (every later line is new). */
function lastSeqOf(outcome: NodeOutcome | undefined): number {
  const value = outcome?.status === 'ok' ? outcome.value : undefined;
  if (typeof value !== 'object' || value === null || !('lines' in value) || !Array.isArray(value.lines)) return -1;
  const last: unknown = value.lines.at(-1);
  return typeof last === 'object' && last !== null && 'seq' in last && typeof last.seq === 'number' ? last.seq : -1;
}

export class Follows {
  readonly #follows = new Map<string, Follow>();
  readonly #sweep: NodeJS.Timeout;

  constructor() {
    this.#sweep = setInterval(() => this.#closeIdle(), IDLE_MS / 3);
    this.#sweep.unref();
  }

  /** Subscribes to every source, then reads the tails (one outcome per node); answers the follow's id and the tails. */
  async open(sources: readonly FollowSource[], remotes: readonly RemoteNode[], request: FollowRequest, tails: () => Promise<readonly NodeOutcome[]>): Promise<{ readonly id: string; readonly tails: readonly NodeOutcome[] }> {
    if (this.#follows.size >= MAX_FOLLOWS) throw new Error(`at most ${MAX_FOLLOWS} remote follows at once; close one (Ctrl-C) first`);
    const id = crypto.randomUUID();
    const followed = sources.filter((source) => remotes.some((r) => r.name === source.node)).length;
    const window = windowFor(followed);
    const follow = new Follow(request.streams, LOCAL_QUEUE_BYTES + followed * window);
    this.#follows.set(id, follow);
    for (const source of sources) {
      follow.early.set(source.node, []);
      const remote = remotes.find((r) => r.name === source.node);
      const credit = remote ? new LogCredit(window) : undefined;
      if (credit) follow.credits.set(source.node, credit);
      follow.stops.push(source.controller.subscribe(() => undefined, { logs: request.target ?? 'all', metrics: false, runs: (runs) => follow.onRuns(source.node, runs), ...(credit ? { credit } : {}) }));
      remote?.client.closed.then(() => follow.note(source.node, `the link to node "${source.node}" dropped; its lines stop here`), () => undefined);
    }
    const outcomes = await tails();
    for (const source of sources) follow.tailed(source.node, lastSeqOf(outcomes.find((o) => o.node === source.node)));
    return { id, tails: outcomes };
  }

  /** What the follow holds now, or what comes within `waitMs`; undefined when there is no such follow. */
  async next(id: string, waitMs: number): Promise<readonly FollowItem[] | undefined> {
    const follow = this.#follows.get(id);
    if (!follow) return undefined;
    follow.polledAt = Date.now();
    // A poll behind waiting ones waits its turn, so that answers leave in the order the polls came.
    const items = follow.holds && follow.waiters.length === 0 ? follow.take() : await follow.wait(Math.min(Math.max(0, waitMs), MAX_WAIT_MS));
    follow.polledAt = Date.now();
    return items;
  }

  close(id: string): boolean {
    const follow = this.#follows.get(id);
    follow?.close();
    return this.#follows.delete(id);
  }

  dispose(): void {
    clearInterval(this.#sweep);
    for (const id of [...this.#follows.keys()]) this.close(id);
  }

  #closeIdle(): void {
    const now = Date.now();
    for (const [id, follow] of this.#follows) if (now - follow.polledAt > IDLE_MS) this.close(id);
  }
}
