import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { Controller } from '../../model/controller.js';
import type { InstanceInfo, LogLine, SupervisorEvent } from '../../model/events.js';
import type { InstanceId } from '../../model/ids.js';
import { assertNever } from '../../model/assert.js';
import { LogStore, MERGED_LINES } from '../log-store.js';
import type { FrameCost } from '../frame-cost.js';
import { lifecycleText, liveTexts } from '../format.js';

/** One change of an instance's state, as the detail panel lists it. */
export interface HistoryEntry {
  readonly at: number;
  readonly text: string;
}

/** Changes kept per instance for the detail panel. */
const HISTORY_PER_INSTANCE = 20;

export interface SupervisorView {
  readonly instances: readonly InstanceInfo[];
  /** Changes whenever log lines arrive: the log pane reads the store itself. */
  readonly logVersion: number;
  readonly shutdown: string | undefined;
  /** When this view was committed: uptimes and countdowns are drawn against it. */
  readonly now: number;
}

/** Lines per instance asked for at start, on top of the merged tail, so quiet apps still show their history. */
const TAIL_PER_INSTANCE = 500;
/**
 * What the view asks of a supervisor over the socket: 300 lines every 100 ms at most (its log frames come
 * no faster), shared fairly between apps. Under a flood of 10,000 lines a second the supervisor encodes and
 * the view parses a third of them; the files keep them all.
 */
export const VIEW_LOG_THROTTLE = { ms: 100, lines: 300 } as const;
/** The clock looks once a second whether a drawn uptime or countdown changed. */
const CLOCK_MS = 1000;

/** What the clock and metrics samples draw against. */
export interface LiveClock {
  /** When the supervisor started: the header's uptime. */
  readonly startedAt: number | undefined;
  /**
   * True while the screen shows something that changes with every tick or sample beyond what liveTexts
   * covers (a footer message that expires, the detail panel's `5s ago`, the nodes panel, a sort by CPU or
   * memory, other nodes' rows): then every tick and sample draws a frame.
   */
  readonly drawsEveryTick: () => boolean;
  /**
   * Draws the clock's texts (uptimes, countdowns: live rows) again in place, without a frame; false when
   * only a frame can draw them. With 50 apps in their first minute, a frame a second was most of the idle
   * view's cost.
   */
  readonly redraw?: ((now: number) => boolean) | undefined;
}

const ALWAYS: LiveClock = { startedAt: undefined, drawsEveryTick: () => true };

/**
 * Follows the Controller's events. Events only mutate plain objects; React state is committed at most once
 * per `throttleMs`, so a flood of log lines costs a few renders per second, not one per batch.
 */
/** Puts lines that did not come from this Controller (another node's) in the store, and draws them. */
export type AddLines = (add: (store: LogStore) => void) => void;

export function useSupervisor(controller: Controller, throttleMs: number, logThrottleMs: number, frameCost?: FrameCost, clock: LiveClock = ALWAYS): SupervisorView & { readonly store: LogStore; readonly history: ReadonlyMap<InstanceId, readonly HistoryEntry[]>; readonly addLines: AddLines } {
  const storeRef = useRef<LogStore | undefined>(undefined);
  storeRef.current ??= new LogStore();
  const store = storeRef.current;
  const historyRef = useRef(new Map<InstanceId, HistoryEntry[]>());
  const history = historyRef.current;
  const addRef = useRef<AddLines>(() => undefined);
  const addLines = useCallback<AddLines>((add) => addRef.current(add), []);
  const [view, setView] = useState<SupervisorView>(() => ({ instances: [], logVersion: 0, shutdown: undefined, now: Date.now() }));

  // A layout effect: it runs during the commit. A passive effect was seen to wait seconds under load,
  // leaving the first frame empty.
  useLayoutEffect(() => {
    const instances = new Map<InstanceId, InstanceInfo>();
    let list: readonly InstanceInfo[] = [];
    let listDirty = false;
    let logVersion = 0;
    let shutdown: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    let lastCommit = 0;
    let disposed = false;
    /** liveTexts of the last frame (or live redraw): a tick or a sample that changes none of them draws nothing. */
    let drawn = '';
    /** The clock `drawn` was read at: a sample is compared at it, so that only its own figures count. */
    let drawnAt = 0;

    const current = (): readonly InstanceInfo[] => {
      if (listDirty) list = [...instances.values()];
      listDirty = false;
      return list;
    };
    const commit = (): void => {
      timer = undefined;
      lastCommit = Date.now();
      drawnAt = lastCommit;
      drawn = liveTexts(current(), lastCommit, clock.startedAt);
      setView({ instances: list, logVersion, shutdown, now: lastCommit });
    };
    /** A metrics sample: a frame only when it changed a figure on the screen (the clock's are the tick's). */
    const scheduleIfChanged = (): void => {
      if (clock.drawsEveryTick() || liveTexts(current(), drawnAt, clock.startedAt) !== drawn) schedule(throttleMs);
    };
    let due = Number.POSITIVE_INFINITY;
    // Log lines may wait a little longer than state changes: under a flood, 10 frames a second read as
    // live, and each frame costs a full redraw.
    const schedule = (wait: number): void => {
      if (disposed) return;
      const at = Math.max(Date.now(), lastCommit + wait);
      if (timer !== undefined && at >= due) return;
      clearTimeout(timer);
      due = at;
      timer = setTimeout(() => {
        due = Number.POSITIVE_INFINITY;
        commit();
      }, at - Date.now());
    };
    const replace = (next: readonly InstanceInfo[]): void => {
      instances.clear();
      for (const info of next) instances.set(info.id, info);
      listDirty = true;
    };
    const onEvent = (event: SupervisorEvent): void => {
      switch (event.type) {
        case 'snapshot':
        case 'config':
          replace(event.instances);
          break;
        case 'state': {
          const info = event.instance;
          const before = instances.get(info.id);
          instances.set(info.id, info);
          listDirty = true;
          const text = before !== undefined && phase(before) === phase(info) ? undefined : lifecycleText(info, Date.now());
          if (text === undefined) break;
          store.addEvent(info.id, info.app, text);
          logVersion++;
          const entries = history.get(info.id) ?? [];
          entries.push({ at: Date.now(), text });
          history.set(info.id, entries.slice(-HISTORY_PER_INSTANCE));
          break;
        }
        case 'metrics':
          for (const sample of event.samples) {
            const info = instances.get(sample.id);
            if (info) instances.set(sample.id, { ...info, cpu: sample.cpu, memory: sample.memory, ...(sample.columns ? { columns: sample.columns } : {}) });
          }
          listDirty = true;
          return scheduleIfChanged();
        case 'log':
          store.append(event.lines);
          logVersion++;
          return schedule(frameCost?.logWait(logThrottleMs) ?? logThrottleMs);
        case 'shutdown':
          shutdown = event.reason;
          break;
        default:
          return assertNever(event, 'event');
      }
      schedule(throttleMs);
    };

    addRef.current = (add) => {
      add(store);
      logVersion++;
      schedule(frameCost?.logWait(logThrottleMs) ?? logThrottleMs);
    };
    // The clock shares frames with metrics and logs. Between frames only the clock moves what is drawn
    // (events schedule frames of their own), so a tick is drawn by the live rows in place, not by a frame.
    const ticks = setInterval(() => {
      const now = Date.now();
      if (now - lastCommit < CLOCK_MS - 50 || timer !== undefined) return;
      if (clock.drawsEveryTick()) return schedule(throttleMs);
      const texts = liveTexts(current(), now, clock.startedAt);
      if (texts === drawn) return;
      if (clock.redraw?.(now) === true) [drawn, drawnAt] = [texts, now];
      else schedule(throttleMs);
    }, CLOCK_MS);
    const unsubscribe = controller.subscribe(onEvent, { throttle: VIEW_LOG_THROTTLE });
    void loadTail(controller, [...instances.keys()]).then((lines) => {
      if (disposed) return;
      store.seed(lines);
      logVersion++;
      schedule(throttleMs);
    });
    return () => {
      disposed = true;
      addRef.current = () => undefined;
      clearInterval(ticks);
      unsubscribe();
      clearTimeout(timer);
    };
  }, [controller, store, history, throttleMs, logThrottleMs, frameCost, clock]);

  return { ...view, store, history, addLines };
}

/** A change of state worth a lifecycle line: its status, or a queued start that got its process. */
const phase = (info: InstanceInfo): string => (info.state.status === 'starting' && info.state.pid === undefined ? 'queued' : info.state.status);

async function loadTail(controller: Controller, ids: readonly InstanceId[]): Promise<readonly LogLine[]> {
  const results = await Promise.all([
    controller.logs(undefined, { lines: MERGED_LINES }),
    ...ids.map((id) => controller.logs(id, { lines: TAIL_PER_INSTANCE })),
  ]).catch(() => []);
  return results.flatMap((result) => (result.ok ? result.lines : []));
}
