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
      if (wanted.length > 0) deliver(listener, { type: 'log', lines: wanted });
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
