import type { Unsubscribe } from '../model/controller.js';
import type { LogLine, SupervisorEvent } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';

type Listener = (event: SupervisorEvent) => void;

/** Which log lines a subscriber wants: all, none, or those of some instances. */
export type LogFilter = 'all' | 'none' | ReadonlySet<InstanceId>;

interface Subscription {
  readonly listener: Listener;
  readonly logs: LogFilter;
}

/**
 * Roughly what one log event may weigh once encoded: a line's text plus its id, stream and time. A turn
 * that read megabytes of a flood becomes several events of this size, so a subscriber (a socket, a mesh
 * session) checks its backlog between them and no single message grows with the flood.
 */
export const LOG_EVENT_BYTES = 32 * 1024;
const LINE_OVERHEAD_BYTES = 64;

/** `lines` cut into runs of at most LOG_EVENT_BYTES (by the estimate above), in order; one run when small. */
export function splitLogBatch(lines: readonly LogLine[]): readonly (readonly LogLine[])[] {
  const runs: LogLine[][] = [];
  let run: LogLine[] = [];
  let bytes = 0;
  for (const line of lines) {
    const weight = line.line.length + LINE_OVERHEAD_BYTES;
    if (bytes + weight > LOG_EVENT_BYTES && run.length > 0) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(line);
    bytes += weight;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * Delivers events to subscribers. Log lines are batched per turn of the event loop (a flood becomes a few
 * events, not one per line) and flushed before any other event, so order is kept. A listener that throws
 * is isolated from the others.
 */
export class EventBus {
  private readonly subscriptions = new Set<Subscription>();
  private pending: LogLine[] = [];
  private scheduled = false;

  add(listener: Listener, logs: LogFilter): Unsubscribe {
    const subscription = { listener, logs };
    this.subscriptions.add(subscription);
    return () => this.subscriptions.delete(subscription);
  }

  emit(event: Exclude<SupervisorEvent, { type: 'log' }>): void {
    this.flush();
    for (const subscription of this.subscriptions) deliver(subscription.listener, event);
  }

  lines(lines: readonly LogLine[]): void {
    for (const line of lines) this.pending.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    for (const { listener, logs } of this.subscriptions) {
      if (logs === 'none') continue;
      const wanted = logs === 'all' ? lines : lines.filter((line) => logs.has(line.id));
      for (const run of splitLogBatch(wanted)) deliver(listener, { type: 'log', lines: run });
    }
  }
}

function deliver(listener: Listener, event: SupervisorEvent): void {
  try {
    listener(event);
  } catch {
    // A failing viewer must not stop the supervisor or the other viewers.
  }
}
