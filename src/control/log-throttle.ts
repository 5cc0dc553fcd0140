import type { LogThrottle } from '../model/controller.js';
import type { LogLine, SupervisorEvent } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';

/** The latest line left out of an instance's (the marker takes its place in the order) and how many were. */
interface LeftOut {
  line: LogLine;
  count: number;
}

/**
 * One subscription's events with its log lines batched: at most `lines` every `ms`, the newest. Encoding a
 * line for the socket (and parsing it on the other side) is most of what a viewer costs under a flood, and
 * a viewer that shows a screenful cannot use 10,000 lines a second. Lines left out of a batch become one
 * marker line per instance, in their place; other events send the batch first, so order is kept.
 * Memory: at most 2 × `lines` held between batches.
 */
export class ThrottledLogs {
  private held: LogLine[] = [];
  private readonly leftOut = new Map<InstanceId, LeftOut>();
  private timer: NodeJS.Timeout | undefined;
  private lastBatch = 0;

  constructor(
    private readonly throttle: LogThrottle,
    private readonly send: (event: SupervisorEvent) => void,
  ) {}

  deliver(event: SupervisorEvent): void {
    if (event.type !== 'log') {
      this.flush();
      this.send(event);
      return;
    }
    for (const line of event.lines) this.held.push(line);
    if (this.held.length >= 2 * this.throttle.lines) this.trim();
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), Math.max(0, this.lastBatch + this.throttle.ms - Date.now())).unref();
  }

  /** Sends what is held now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.trim();
    if (this.held.length === 0 && this.leftOut.size === 0) return;
    this.lastBatch = Date.now();
    // In seq order, markers among the lines: a viewer drops a line older than one it already has.
    const lines = [...this.leftOut.values()].map(marker).concat(this.held).sort((a, b) => a.seq - b.seq);
    this.held = [];
    this.leftOut.clear();
    this.send({ type: 'log', lines });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held = [];
    this.leftOut.clear();
  }

  /** Keeps at most `lines`, shared fairly between instances (each its newest), counting the others. */
  private trim(): void {
    if (this.held.length <= this.throttle.lines) return;
    const totals = countsOf(this.held);
    const shares = fairShares(totals, this.throttle.lines);
    const seen = new Map<InstanceId, number>();
    const kept: LogLine[] = [];
    for (const line of this.held) {
      const index = seen.get(line.id) ?? 0;
      seen.set(line.id, index + 1);
      if (index >= (totals.get(line.id) ?? 0) - (shares.get(line.id) ?? 0)) kept.push(line);
      else this.leaveOut(line);
    }
    this.held = kept;
  }

  private leaveOut(line: LogLine): void {
    const seen = this.leftOut.get(line.id);
    if (seen) {
      seen.line = line;
      seen.count += line.skipped ?? 1;
    } else this.leftOut.set(line.id, { line, count: line.skipped ?? 1 });
  }
}

function countsOf(lines: readonly LogLine[]): Map<InstanceId, number> {
  const counts = new Map<InstanceId, number>();
  for (const line of lines) counts.set(line.id, (counts.get(line.id) ?? 0) + 1);
  return counts;
}

/**
 * How many lines each instance keeps out of `cap`: a quiet app's few lines all get through beside a flood;
 * the floods share what is left equally (water filling).
 */
export function fairShares(counts: ReadonlyMap<InstanceId, number>, cap: number): ReadonlyMap<InstanceId, number> {
  const shares = new Map<InstanceId, number>();
  const ascending = [...counts].sort((a, b) => a[1] - b[1]);
  let room = cap;
  ascending.forEach(([id, count], i) => {
    const share = Math.min(count, Math.floor(room / (ascending.length - i)));
    shares.set(id, share);
    room -= share;
  });
  return shares;
}

function marker({ line, count }: LeftOut): LogLine {
  return { ...line, line: `[… ${count} line${count === 1 ? '' : 's'} not sent to this view (it takes the newest lines only); the log files have them]`, skipped: count };
}
