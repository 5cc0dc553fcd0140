import type { Controller, Unsubscribe } from '../model/controller.js';
import type { InstanceInfo, LogLine, SupervisorEvent } from '../model/events.js';
import { assertNever } from '../model/assert.js';
import stripAnsi from 'strip-ansi';
import { BatchedOutput } from './headless-output.js';
import type { LogTap } from '../logs/hub.js';
import type { Segment } from '../logs/segment.js';
import { palette, type Palette } from './output.js';

/**
 * Past this much output its reader has not taken yet, log lines are skipped (and counted) rather than
 * buffered: only a reader that falls this far behind gets skip markers (README, "Promises").
 */
export const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
/** On exit, how long what is still buffered may take to reach a reader that is still reading. */
const DRAIN_ON_EXIT_MS = 5000;
const NAME_COLORS: readonly (keyof Palette)[] = ['cyan', 'yellow', 'green', 'magenta', 'blue'];
const SELF = 'node-unit';
const ESC = 0x1b;

function label(info: Pick<InstanceInfo, 'app' | 'index' | 'id'>, multi: ReadonlySet<string>): string {
  return multi.has(info.app) ? info.id : info.app;
}

export function describeState(info: InstanceInfo): string | undefined {
  const { state } = info;
  switch (state.status) {
    case 'pending':
      return `pending: ${state.reason}`;
    case 'starting':
      return undefined;
    case 'online':
      return `online (pid ${state.pid})${info.note ? ` — ${info.note}` : ''}`;
    case 'stopping':
      return undefined;
    case 'backoff': {
      const why = state.signal ? `killed by ${state.signal}` : `exited with code ${state.code ?? '?'}`;
      return `${why}; restarting in ${Math.max(0, state.retryAt - Date.now())}ms (restart ${state.restarts + 1})`;
    }
    case 'exited':
      return state.signal ? `exited (killed by ${state.signal})` : `exited with code ${state.code ?? '?'}`;
    case 'errored':
      return `errored: ${state.reason}`;
    case 'stopped':
      return `stopped${info.note?.startsWith('did not stop') ? ` — ${info.note}` : ''}`;
    default:
      return assertNever(state, 'state');
  }
}

/**
 * Prints `name | line` for every log line and `node-unit | api online (pid 1234)` for state changes. The
 * returned stop settles once what was printed reached the reader (bounded in time).
 */
export function printHeadless(
  controller: Pick<Controller, 'subscribe'>,
  options: {
    readonly color: boolean;
    readonly out?: NodeJS.WriteStream | NodeJS.WritableStream;
    readonly instanceCounts: ReadonlyMap<string, number>;
    /** The supervisor's raw log lines (Supervisor.tapLogs); without it, lines come as events. */
    readonly tap?: (listener: LogTap) => Unsubscribe;
  },
): () => Promise<void> {
  const out = options.out ?? process.stdout;
  const c = palette(options.color);
  const multi = new Set([...options.instanceCounts].filter(([, count]) => count > 1).map(([app]) => app));
  const apps = [...options.instanceCounts.keys()];
  // Apps added or scaled at run time (`start`, `scale`, a reload): their lines name the instance from then on.
  // The prefix of each instance's lines, made once: a flood prints a million lines with a handful of prefixes.
  const prefixes = new Map<string, string>();
  const learn = (instances: readonly InstanceInfo[]): void => {
    for (const info of instances) {
      if (info.index > 0 && !multi.has(info.app)) (multi.add(info.app), prefixes.clear(), prefixBytes.clear());
      if (!apps.includes(info.app)) apps.push(info.app);
    }
  };
  const width = Math.max(SELF.length, ...apps.map((app) => (multi.has(app) ? `${app}:${(options.instanceCounts.get(app) ?? 1) - 1}` : app).length));
  const colorOf = (app: string): ((s: string) => string) => c[NAME_COLORS[Math.max(0, apps.indexOf(app)) % NAME_COLORS.length] ?? 'cyan'];
  const output = new BatchedOutput(out);
  let skipped = 0;
  const write = (line: string): void => output.push(Buffer.from(`${line}\n`));
  /** A slow reader of our output (a pager, a slow pipe) costs it lines, never the supervisor's memory. */
  const roomFor = (lines: number): boolean => {
    if (output.backlog > MAX_BACKLOG_BYTES) {
      skipped += lines;
      return false;
    }
    if (skipped > 0) {
      write(`${prefix(SELF, c.bold)}${c.yellow(`[… ${skipped} line${skipped === 1 ? '' : 's'} skipped: output was not read fast enough]`)}`);
      skipped = 0;
    }
    return true;
  };
  const prefix = (name: string, paint: (s: string) => string): string => `${paint(name.padEnd(width))} ${c.gray('|')} `;
  const linePrefix = (line: Pick<LogLine, 'id' | 'app'>): string => {
    let cached = prefixes.get(line.id);
    if (cached === undefined) {
      cached = prefix(label({ app: line.app, index: 0, id: line.id }, multi), colorOf(line.app));
      prefixes.set(line.id, cached);
    }
    return cached;
  };
  const handle = (event: SupervisorEvent): void => {
    switch (event.type) {
      case 'snapshot':
      case 'config':
        return learn(event.instances);
      case 'metrics':
        return;
      case 'log':
        for (const line of event.lines) if (roomFor(1)) write(linePrefix(line) + (options.color ? line.line : stripAnsi(line.line)));
        return;
      case 'state': {
        learn([event.instance]);
        const text = describeState(event.instance);
        if (text === undefined) return;
        const name = label(event.instance, multi);
        const status = event.instance.state.status;
        const paint = status === 'errored' ? c.red : status === 'online' ? c.green : status === 'backoff' ? c.yellow : (s: string) => s;
        return write(`${prefix(SELF, c.bold)}${colorOf(event.instance.app)(name)} ${paint(text)}`);
      }
      case 'shutdown':
        return write(`${prefix(SELF, c.bold)}stopping everything (${event.reason})`);
      default:
        return assertNever(event, 'event');
    }
  };
  // With the supervisor's raw lines, a flood is printed as bytes: no string per line, no re-encoding.
  const prefixBytes = new Map<string, Buffer>();
  const printSegment = (segment: Segment): void => {
    if (!roomFor(segment.count)) return;
    let bytes = prefixBytes.get(segment.id);
    if (bytes === undefined) {
      bytes = Buffer.from(linePrefix(segment));
      prefixBytes.set(segment.id, bytes);
    }
    const data = options.color || !segment.data.includes(ESC) ? segment.data : Buffer.from(stripAnsi(segment.data.toString('utf8')));
    output.push(data, bytes);
  };
  const unsubscribe: Unsubscribe = controller.subscribe(handle, { metrics: false, ...(options.tap ? { logs: 'none' as const } : {}) });
  const untap = options.tap?.(printSegment);
  return () => {
    untap?.();
    unsubscribe();
    return output.end(DRAIN_ON_EXIT_MS);
  };
}
