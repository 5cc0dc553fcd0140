import type { LogLine, LogStream } from '../model/events.js';

export type { LogLine } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import { viewLines } from './framing.js';

/**
 * Whole lines as they arrived in one chunk, kept as bytes: viewers split them into strings only when
 * they look (tail, follow), so a flood nobody watches costs no per-line allocation.
 */
export interface Segment {
  readonly seq: number;
  readonly count: number;
  readonly id: InstanceId;
  readonly app: string;
  readonly stream: LogStream;
  readonly time: number;
  readonly data: Buffer;
}

export function segmentLines(segment: Segment, maxLine: number, skip = 0): LogLine[] {
  const texts = viewLines(segment.data, maxLine);
  const lines: LogLine[] = [];
  for (let i = skip; i < texts.length; i++) {
    lines.push({ seq: segment.seq + i, id: segment.id, app: segment.app, stream: segment.stream, time: segment.time, line: texts[i] ?? '' });
  }
  return lines;
}

export function skipMarker(first: Segment, skipped: number): LogLine {
  return { seq: first.seq, id: first.id, app: first.app, stream: first.stream, time: Date.now(), line: `[… ${skipped} lines skipped]`, skipped };
}
