import { DEFAULT_LOG_BUFFER_LINES, type LogSpec } from '../model/app.js';
import type { LogStream } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import { FileSink } from './file-sink.js';
import { Follower, type FollowListener } from './follower.js';
import { DEFAULT_MAX_LINE } from './framing.js';
import { InstanceLogImpl, type HubPort, type InstanceLog } from './instance-log.js';
import { Ring } from './ring.js';
import type { LogLine, Segment } from './segment.js';

export type { InstanceLog } from './instance-log.js';
export type { LogLine } from './segment.js';
export type { FollowListener } from './follower.js';

/** Called with each chunk of whole lines as it is read; `segment.data` is lent. */
export type LogTap = (segment: Segment) => void;

export const DEFAULT_RING_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_QUEUE = 10_000;

export interface LogHubOptions {
  /** Lines kept per instance for viewers, unless the instance's spec says (log_buffer). */
  readonly ringSize?: number;
  /** Bytes kept per instance for viewers, whatever the line count (long lines). */
  readonly ringBytes?: number;
  /** Longer lines are cut for viewers and wrapped (nothing dropped) in files. */
  readonly maxLineBytes?: number;
  /** A file that cannot be opened or written; by default one line on stderr per file. */
  readonly onError?: (error: Error, file: string) => void;
}

interface SharedSink {
  readonly sink: FileSink;
  refs: number;
}

function reportOnce(): (error: Error, file: string) => void {
  const reported = new Set<string>();
  return (error, file) => {
    if (reported.has(file)) return;
    reported.add(file);
    process.stderr.write(`[node-unit] log file ${file}: ${error.message}\n`);
  };
}

/**
 * The log pipeline of every instance. The hot path works on chunks, not lines, and allocates nothing
 * per chunk: a chunk of whole lines is lent by the reader, copied into the instance's ring (an arena
 * reused in a circle) and into each file's staging buffers (a shared pool), so one write carries many
 * chunks. Lines become strings only when a viewer asks (tail, follow).
 */
export class LogHub {
  readonly maxLine: number;
  private seq = 0;
  private readonly ringSize: number;
  private readonly ringBytes: number;
  private readonly onError: (error: Error, file: string) => void;
  private readonly rings = new Map<InstanceId, Ring>();
  private readonly logs = new Map<InstanceId, InstanceLogImpl>();
  private readonly sinks = new Map<string, SharedSink>();
  private readonly followers = new Set<Follower>();
  private readonly taps = new Set<LogTap>();
  private readonly port: HubPort;

  constructor(options: LogHubOptions = {}) {
    this.ringSize = options.ringSize ?? DEFAULT_LOG_BUFFER_LINES;
    this.ringBytes = options.ringBytes ?? DEFAULT_RING_BYTES;
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
    this.onError = options.onError ?? reportOnce();
    this.port = {
      maxLine: this.maxLine,
      record: (id, app, stream, data, count, time) => this.record({ seq: this.take(count), count, id, app, stream, time, data }),
      sink: (file, spec) => this.acquire(file, spec),
    };
  }

  /** One instance's logs: creates/opens its files per spec (merge_logs: instances of an app share files; without merge, per-instance file names like pm2's `<name>-out-<index>.log`). */
  open(id: InstanceId, app: string, index: number, spec: LogSpec): InstanceLog {
    const existing = this.logs.get(id);
    if (existing && existing.app === app && existing.index === index && JSON.stringify(existing.spec) === JSON.stringify(spec)) return existing;
    const log = new InstanceLogImpl(id, app, index, spec, this.port);
    this.logs.set(id, log);
    const lines = spec.bufferLines ?? this.ringSize;
    const ring = this.rings.get(id);
    if (ring) ring.resize(lines);
    else this.rings.set(id, new Ring(lines, this.ringBytes));
    if (existing) void existing.drained().then(() => this.releaseAll(existing));
    return log;
  }

  /** The last n lines of these instances, merged in order (by seq). */
  tail(ids: readonly InstanceId[], n: number, streams?: readonly LogStream[]): readonly LogLine[] {
    const lines = ids.flatMap((id) => this.rings.get(id)?.tail(n, this.maxLine, streams) ?? []);
    lines.sort((a, b) => a.seq - b.seq);
    return lines.length > n ? lines.slice(lines.length - n) : lines;
  }

  /** Live lines of these instances (undefined = all). A listener that cannot keep up (its queue passes maxQueue) gets one marker line `[… N lines skipped]` instead of the lines it missed, and never slows the files or other listeners. Listeners are called asynchronously in batches; a listener may return a promise to say it is busy. */
  follow(ids: readonly InstanceId[] | undefined, listener: FollowListener, options: { readonly maxQueue?: number } = {}): () => void {
    const follower = new Follower(ids ? new Set(ids) : undefined, listener, options.maxQueue ?? DEFAULT_MAX_QUEUE, this.maxLine);
    this.followers.add(follower);
    return () => {
      follower.stop();
      this.followers.delete(follower);
    };
  }

  /**
   * Every chunk of whole lines as it is read, in order, before any viewer sees it: the bytes are lent (use
   * them before returning). For a reader that prints all of them (`up --no-tui`): no string per line.
   */
  tap(listener: LogTap): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  forget(id: InstanceId): void {
    const log = this.logs.get(id);
    this.logs.delete(id);
    this.rings.delete(id);
    if (log) void log.drained().then(() => this.releaseAll(log));
  }

  /** Truncates the files of these instances (all when undefined): `node-unit flush`. */
  async flush(ids?: readonly InstanceId[]): Promise<void> {
    await Promise.all(this.sinksOf(ids).map((sink) => sink.truncate()));
  }

  /** Closes and reopens every file (SIGUSR2, for an external logrotate). */
  async reopen(): Promise<void> {
    await Promise.all([...this.sinks.values()].map(({ sink }) => sink.reopen()));
  }

  /** Flushes everything to disk and closes files. */
  async close(): Promise<void> {
    for (const follower of this.followers) follower.stop();
    this.followers.clear();
    await Promise.all([...this.sinks.values()].map(({ sink }) => sink.close()));
    this.sinks.clear();
  }

  private take(count: number): number {
    const first = this.seq;
    this.seq += count;
    return first;
  }

  /** The segment's data is lent: the ring copies what it keeps, and the followers of this instance share one copy. */
  private record(segment: Segment): void {
    for (const tap of this.taps) tap(segment);
    this.rings.get(segment.id)?.add(segment);
    let owned: Segment | undefined;
    for (const follower of this.followers) {
      if (!follower.wants(segment.id)) continue;
      owned ??= { ...segment, data: Buffer.from(segment.data) };
      follower.push(owned);
    }
  }

  private sinksOf(ids: readonly InstanceId[] | undefined): FileSink[] {
    if (!ids) return [...this.sinks.values()].map(({ sink }) => sink);
    const sinks = ids.flatMap((id) => this.logs.get(id)?.files ?? []);
    return [...new Set(sinks)];
  }

  private acquire(file: string, spec: LogSpec): FileSink {
    const shared = this.sinks.get(file);
    if (shared) {
      shared.refs++;
      return shared.sink;
    }
    const sink = new FileSink(file, { maxSizeBytes: spec.maxSizeBytes, maxFiles: spec.maxFiles, onError: this.onError });
    this.sinks.set(file, { sink, refs: 1 });
    return sink;
  }

  private releaseAll(log: InstanceLogImpl): void {
    for (const sink of [...log.sinks.out, ...log.sinks.err]) {
      const shared = this.sinks.get(sink.file);
      if (!shared || shared.sink !== sink || --shared.refs > 0) continue;
      this.sinks.delete(sink.file);
      void sink.close();
    }
  }
}
