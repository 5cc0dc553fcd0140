import type { LogSpec } from '../model/app.js';
import type { LogLine, LogStream } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import type { LogSource } from '../logs/reader.js';
import type { LogTap } from '../logs/hub.js';

/** What the supervisor needs from the log pipeline (src/logs' LogHub provides it). */
export interface InstanceLogSink {
  attach(source: LogSource, kind: LogStream): void;
  note(kind: LogStream, line: string): void;
  drained(): Promise<void>;
}

export interface LogBackend {
  open(id: InstanceId, app: string, index: number, spec: LogSpec): InstanceLogSink;
  tail(ids: readonly InstanceId[], n: number, streams?: readonly LogStream[]): readonly LogLine[];
  follow(ids: readonly InstanceId[] | undefined, listener: (lines: readonly LogLine[]) => void, options?: { readonly maxQueue?: number }): () => void;
  flush(ids?: readonly InstanceId[]): Promise<void>;
  /** An instance that no longer exists (deleted, scaled down): once its lines are written, its files close (unless shared) and its buffer goes. */
  forget(id: InstanceId): void;
  /** Every chunk of whole lines as it is read (lent bytes); returns the way to stop. */
  tap(listener: LogTap): () => void;
  reopen(): Promise<void>;
  close(): Promise<void>;
}
