import type { LogStream } from '../model/events.js';
import { segmentLines, type LogLine, type Segment } from './segment.js';

/** The recent lines of one instance, bounded by a line count and a byte budget. */
export class Ring {
  private readonly segments: Segment[] = [];
  private lines = 0;
  private bytes = 0;

  constructor(
    private readonly maxLines: number,
    private readonly maxBytes: number,
  ) {}

  add(segment: Segment): void {
    this.segments.push(segment);
    this.lines += segment.count;
    this.bytes += segment.data.length;
    for (let first = this.segments[0]; first && this.segments.length > 1; first = this.segments[0]) {
      const tooMany = this.lines - first.count >= this.maxLines;
      if (!tooMany && this.bytes <= this.maxBytes) break;
      this.segments.shift();
      this.lines -= first.count;
      this.bytes -= first.data.length;
    }
  }

  /** The last n lines (of these streams), oldest first. */
  tail(n: number, maxLine: number, streams?: readonly LogStream[]): LogLine[] {
    const picked: Segment[] = [];
    let count = 0;
    for (let i = this.segments.length - 1; i >= 0 && count < n; i--) {
      const segment = this.segments[i];
      if (!segment || (streams && !streams.includes(segment.stream))) continue;
      picked.push(segment);
      count += segment.count;
    }
    const lines = picked.reverse().flatMap((segment) => segmentLines(segment, maxLine));
    return lines.length > n ? lines.slice(lines.length - n) : lines;
  }
}
