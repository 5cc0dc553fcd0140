import stripAnsi from 'strip-ansi';
import type { LogLine, LogStream, SupervisorEvent } from '../../model/events.js';
import { unpackRun, type LogRun } from '../../model/log-runs.js';
import { printError, withClient, type ProjectOptions } from '../control-target.js';
import { colorEnabled, palette, type Palette } from '../output.js';

export interface LogsOptions extends ProjectOptions {
  readonly lines?: number;
  readonly follow?: boolean;
  readonly err?: boolean;
  readonly out?: boolean;
  readonly timestamps?: boolean;
  readonly json?: boolean;
}

/** Whether a line may hold an escape sequence (ESC or CSI): a line without one needs no regex pass, which a flood of lines feels. */
const mayHoldAnsi = (text: string): boolean => text.includes('\u001b') || text.includes('\u009b');

const NAME_COLORS: readonly (keyof Palette)[] = ['cyan', 'yellow', 'green', 'magenta', 'blue'];

export type Printer = (lines: readonly LogLine[]) => void;

/** A line's `name | ` part (`app:N` for apps in `multi`), each app in its own colour, made once per name and stream: a flood prints it on every line. */
function prefixer(color: boolean, multi: Pick<ReadonlySet<string>, 'has'>): (line: Pick<LogLine, 'app' | 'id' | 'stream'>) => string {
  const c = palette(color);
  const apps: string[] = [];
  const paint = (app: string): ((s: string) => string) => {
    if (!apps.includes(app)) apps.push(app);
    return c[NAME_COLORS[apps.indexOf(app) % NAME_COLORS.length] ?? 'cyan'];
  };
  const prefixes = new Map<string, { readonly out: string; readonly err: string }>();
  return (line) => {
    const shown = multi.has(line.app) ? line.id : line.app;
    let prefix = prefixes.get(shown);
    if (!prefix) {
      const name = paint(line.app)(shown);
      prefix = { out: `${name} ${c.gray('|')} `, err: `${name} ${c.red('|')} ` };
      prefixes.set(shown, prefix);
    }
    return line.stream === 'err' ? prefix.err : prefix.out;
  };
}

/** Prints lines as `app | text` (`app:N` for apps in `multi`), each app in its own colour; NDJSON with --json. */
export function printer(options: LogsOptions, multi: Pick<ReadonlySet<string>, 'has'>): Printer {
  return printers(options, multi).lines;
}

export type RunPrinter = (runs: readonly LogRun[]) => void;

/**
 * A printer of lines and one of runs of lines (model/log-runs.ts) that prints a run exactly as the first
 * prints its lines, in the same colours, without an object or a string per line: the lines of a run share
 * their prefix and time, so one replace puts the prefix on each. A flood's cost in a follower is then a few
 * passes over its bytes.
 */
export function printers(options: LogsOptions, multi: Pick<ReadonlySet<string>, 'has'>): { readonly lines: Printer; readonly runs: RunPrinter } {
  const color = colorEnabled(process.stdout);
  const c = palette(color);
  const prefixOf = prefixer(color, multi);
  const timeOf = (time: number): string => (options.timestamps ? `${c.gray(new Date(time).toISOString())} ` : '');
  const plain = (text: string): string => (color || !mayHoldAnsi(text) ? text : stripAnsi(text));
  const lines: Printer = (all) => {
    if (all.length === 0) return;
    let text = '';
    for (const line of all) text += options.json ? `${JSON.stringify(line)}\n` : `${timeOf(line.time)}${prefixOf(line)}${plain(line.line)}\n`;
    process.stdout.write(text);
  };
  const leads = new Map<string, Buffer>();
  const leadOf = (run: LogRun): Buffer => {
    const lead = `${timeOf(run.time)}${prefixOf(run)}`;
    let bytes = leads.get(lead);
    if (!bytes) {
      bytes = Buffer.from(lead);
      // Timestamps make a lead per run; names alone, a few.
      if (leads.size < 1024) leads.set(lead, bytes);
    }
    return bytes;
  };
  const runs: RunPrinter = (all) => {
    if (options.json) {
      const unpacked: LogLine[] = [];
      for (const run of all) unpackRun(run, unpacked, 'run');
      return lines(unpacked);
    }
    if (all.length === 0) return;
    // The output is laid out in one buffer: a run's text is encoded once and copied line by line behind its
    // lead, with no string made per line or per run.
    const bodies = all.map((run) => Buffer.from(plain(run.text)));
    const heads = all.map(leadOf);
    let size = 0;
    all.forEach((run, i) => (size += (bodies[i]?.length ?? 0) + run.count * ((heads[i]?.length ?? 0) + 1)));
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    bodies.forEach((body, i) => {
      const head = heads[i] ?? Buffer.alloc(0);
      // A run of one line is that line, whatever it holds (as printed by `lines`); a longer run holds `count` lines.
      const single = all[i]?.count === 1;
      for (let from = 0; ; ) {
        at += head.copy(out, at);
        const newline = single ? -1 : body.indexOf(0x0a, from);
        const end = newline < 0 ? body.length : newline;
        at += body.copy(out, at, from, end);
        out[at++] = 0x0a;
        if (newline < 0) break;
        from = newline + 1;
      }
    });
    process.stdout.write(at === size ? out : out.subarray(0, at));
  };
  return { lines, runs };
}

export function streamsOf(options: LogsOptions): readonly LogStream[] | undefined {
  if (options.err && !options.out) return ['err'];
  if (options.out && !options.err) return ['out'];
  return undefined;
}

/** `logs`: the recent lines of the target, then (with -f) new ones as they come, in order, until Ctrl-C. */
export function logsCommand(target: string | undefined, options: LogsOptions): Promise<number> {
  return withClient(options, async (client) => {
    const streams = streamsOf(options);
    const live: LogLine[] = [];
    let print: Printer = (lines) => live.push(...lines);
    let lastSeq = -1;
    let stopping: string | undefined;
    const wanted = (line: LogLine): boolean => line.seq > lastSeq && (streams === undefined || streams.includes(line.stream));
    const onEvent = (event: SupervisorEvent): void => {
      if (event.type === 'log') print(event.lines.filter(wanted));
      if (event.type === 'shutdown') stopping = event.reason;
    };
    // Subscribe before asking for the tail, so no line falls between the two; duplicates are dropped by seq.
    const unsubscribe = options.follow ? client.subscribe(onEvent, { logs: target ?? 'all', metrics: false }) : undefined;
    const [tail, instances] = await Promise.all([client.logs(target, { lines: options.lines ?? 15, ...(streams ? { streams } : {}) }), client.list()]);
    if (!tail.ok) {
      printError(tail.message);
      return 1;
    }
    const counts = new Map<string, number>();
    for (const info of instances) counts.set(info.app, (counts.get(info.app) ?? 0) + 1);
    const show = printer(options, new Set([...counts].filter(([, n]) => n > 1).map(([app]) => app)));
    show(tail.lines);
    lastSeq = tail.lines.at(-1)?.seq ?? -1;
    if (!unsubscribe) return 0;
    print = (lines) => {
      show(lines);
      lastSeq = lines.at(-1)?.seq ?? lastSeq;
    };
    print(live.filter(wanted));
    const interrupted = new Promise<'interrupted'>((resolve) => process.once('SIGINT', () => resolve('interrupted')));
    const ended = await Promise.race([client.closed.then(() => 'gone' as const), interrupted]);
    unsubscribe();
    if (ended === 'interrupted') return 0;
    // A supervisor that stopped answering (not one that stopped) is news the follower must not swallow.
    const lost = client.closeReason;
    if (lost && lost.code !== 'closed') {
      printError(lost.message);
      return 1;
    }
    // Whoever reads along must know that no more lines will come, and whether that was meant.
    process.stderr.write(
      stopping === undefined
        ? 'node-unit | the supervisor went away (its connection closed without a shutdown); no more lines\n'
        : `node-unit | the supervisor stopped everything (${stopping}) and exited; no more lines\n`,
    );
    return stopping === undefined ? 1 : 0;
  });
}
