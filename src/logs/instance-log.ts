import type { LogSpec } from '../model/app.js';
import type { LogStream } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import { countLines, stripAnsiBytes } from './bytes.js';
import { compileDateFormat, DEFAULT_DATE_FORMAT } from './date-format.js';
import type { FileSink } from './file-sink.js';
import { streamFiles } from './paths.js';
import { readLines, type LogSource } from './reader.js';
import { jsonLines, type JsonLines } from './json-lines.js';

export interface InstanceLog {
  /** Reads a child's stdout or stderr with backpressure: when a file falls behind, the stream is paused (the child's pipe fills and the child waits); a line bound for a file is never dropped. */
  attach(source: LogSource, kind: LogStream): void;
  /** A line from the supervisor itself about this instance (e.g. "[node-unit] change in …; restarting"). */
  note(kind: LogStream, line: string): void;
  /** Resolves when every attached stream has ended and all its lines are written to the files. */
  drained(): Promise<void>;
}

/** What an instance's log needs from the hub. */
export interface HubPort {
  readonly maxLine: number;
  record(id: InstanceId, app: string, stream: LogStream, data: Buffer, count: number, time: number): void;
  sink(file: string, spec: LogSpec): FileSink;
}

type Prefixer = (time: number) => Buffer;

/** pm2's prefix: the formatted time, then ': '. One string per millisecond, not per line. */
function prefixer(format: string): Prefixer {
  const formatter = compileDateFormat(format);
  let lastTime = Number.NaN;
  let last = Buffer.alloc(0);
  return (time) => {
    if (time !== lastTime) {
      lastTime = time;
      last = Buffer.from(`${formatter(time)}: `);
    }
    return last;
  };
}

export class InstanceLogImpl implements InstanceLog {
  readonly sinks: Readonly<Record<LogStream, readonly FileSink[]>>;
  private readonly readers: Promise<void>[] = [];
  private readonly prefix: Prefixer | undefined;
  private readonly json: JsonLines | undefined;

  constructor(
    readonly id: InstanceId,
    readonly app: string,
    readonly index: number,
    readonly spec: LogSpec,
    private readonly hub: HubPort,
  ) {
    const open = (kind: LogStream): readonly FileSink[] => streamFiles(spec, index, kind).map((file) => hub.sink(file, spec));
    this.sinks = { out: open('out'), err: open('err') };
    this.json = spec.json ? jsonLines(app, index, spec.dateFormat) : undefined;
    this.prefix = spec.timestamp && !this.json ? prefixer(spec.dateFormat ?? DEFAULT_DATE_FORMAT) : undefined;
  }

  get files(): readonly FileSink[] {
    return [...new Set([...this.sinks.out, ...this.sinks.err])];
  }

  attach(source: LogSource, kind: LogStream): void {
    this.readers.push(readLines(source, this.hub.maxLine, { lines: (data, count) => this.emit(kind, data, count), whenWritable: (resume) => this.whenWritable(kind, resume) }));
  }

  note(kind: LogStream, line: string): void {
    this.emit(kind, Buffer.from(line.endsWith('\n') ? line : `${line}\n`));
  }

  async drained(): Promise<void> {
    await Promise.all(this.readers);
    await Promise.all(this.files.map((sink) => sink.sync()));
  }

  /** The hot path: one call per chunk of whole lines (lent: the ring copies them, a file writes them at once or copies them), never per line unless timestamps are on; `count` comes from the native reader when it read the chunk. */
  private emit(kind: LogStream, data: Buffer, count = countLines(data)): boolean {
    const time = Date.now();
    this.hub.record(this.id, this.app, kind, data, count, time);
    const sinks = this.sinks[kind];
    if (sinks.length === 0) return true;
    const stripped = stripAnsiBytes(data);
    const plain = this.json ? this.json(stripped, kind, time) : stripped;
    const prefix = this.prefix?.(time);
    let writable = true;
    for (const sink of sinks) writable = sink.write(plain, prefix) && writable;
    return writable;
  }

  private whenWritable(kind: LogStream, resume: () => void): void {
    const congested = this.sinks[kind].filter((sink) => sink.congested);
    let waiting = congested.length;
    if (waiting === 0) return resume();
    for (const sink of congested) sink.onDrain(() => --waiting === 0 && resume());
  }
}
