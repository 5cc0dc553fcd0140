import type { InstanceId } from '../model/ids.js';
import { segmentLines, skipMarker, type LogLine, type Segment } from './segment.js';

export type FollowListener = (lines: readonly LogLine[]) => void | Promise<void>;

/**
 * One live viewer. Lines are queued as segments and handed over in batches on a later turn of the
 * event loop; a listener may return a promise to say it is still busy. When the queue passes
 * maxQueue lines, the oldest segments are dropped and replaced by one `[… N lines skipped]` marker:
 * a slow viewer costs nothing to the files or to other viewers.
 */
export class Follower {
  private queue: Segment[] = [];
  private queuedLines = 0;
  private skipped = 0;
  private firstSkipped: Segment | undefined;
  private scheduled = false;
  private busy = false;
  private stopped = false;

  constructor(
    private readonly ids: ReadonlySet<InstanceId> | undefined,
    private readonly listener: FollowListener,
    private readonly maxQueue: number,
    private readonly maxLine: number,
  ) {}

  wants(id: InstanceId): boolean {
    return !this.stopped && (this.ids === undefined || this.ids.has(id));
  }

  /** Queues the segment, which the follower may keep (it must not be lent). */
  push(segment: Segment): void {
    if (!this.wants(segment.id)) return;
    this.queue.push(segment);
    this.queuedLines += segment.count;
    while (this.queuedLines > this.maxQueue && this.queue.length > 1) this.dropOldest();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.queue = [];
  }

  private dropOldest(): void {
    const oldest = this.queue.shift();
    if (!oldest) return;
    this.queuedLines -= oldest.count;
    this.skipped += oldest.count;
    this.firstSkipped ??= oldest;
  }

  private schedule(): void {
    if (this.scheduled || this.busy) return;
    this.scheduled = true;
    setImmediate(() => this.deliver());
  }

  private deliver(): void {
    this.scheduled = false;
    if (this.stopped || (this.queue.length === 0 && this.skipped === 0)) return;
    const lines: LogLine[] = this.firstSkipped ? [skipMarker(this.firstSkipped, this.skipped)] : [];
    for (const segment of this.queue) for (const line of segmentLines(segment, this.maxLine)) lines.push(line);
    this.queue = [];
    this.queuedLines = 0;
    this.skipped = 0;
    this.firstSkipped = undefined;
    this.busy = true;
    let result: void | Promise<void>;
    try {
      result = this.listener(lines);
    } catch {
      result = undefined;
    }
    if (result instanceof Promise) result.then(() => this.idle(), () => this.idle());
    else this.idle();
  }

  private idle(): void {
    this.busy = false;
    if (this.queue.length > 0 || this.skipped > 0) this.schedule();
  }
}
