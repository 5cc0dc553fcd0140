import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { render as renderFixed } from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import { App, type AppProps } from '../../src/tui/App.js';
import type { ExecutionContext } from 'ava';
import { waitFor } from '../helpers/wait.js';
import { FrameDiffer, terminalStream, type ResolveLine } from '../../src/tui/frame-writer.js';
import { RowOverlay } from '../../src/tui/row-overlay.js';
import type { FakeController } from './fake-controller.js';
import { FakeStdin } from './fake-stdin.js';

/** ink-testing-library's stdout is fixed at 100 columns with no rows; layouts need a chosen size. */
class SizedStdout extends EventEmitter {
  readonly isTTY = false;
  frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  /** The screen as last drawn: by a frame, or by a redraw of its live rows. */
  screen: string | undefined;
  redraws = 0;
  write = (frame: string): boolean => {
    this.frames.push(frame);
    this.screen = frame;
    return true;
  };
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}


/** Keeps the last frame as Ink wrote it, placeholders and all. */
class InkFrames extends FrameDiffer {
  last: string | undefined;
  override rewrite(data: string, columns: number, resolve?: ResolveLine): string {
    // Neutral writes (cursor, synchronized output) are not frames.
    if (!data.startsWith('\x1b[?')) this.last = data;
    return super.rewrite(data, columns, resolve);
  }
}

export interface Rendered {
  readonly frame: () => string;
  readonly press: (...keys: readonly string[]) => void;
  readonly waitFrame: (check: (frame: string) => boolean, what?: string) => Promise<string>;
  readonly exits: ('quit' | 'detach')[];
  readonly raw: string[];
  readonly resize?: (columns: number, rows: number) => void;
  /** How many times Ink has written to the terminal (renderSized only). */
  readonly writes?: () => number;
  /** How many times the live rows were drawn again without a frame (renderSized only). */
  readonly redraws?: () => number;
  readonly unmount: () => void;
}

export const KEY = { up: '\x1b[A', down: '\x1b[B', pageUp: '\x1b[5~', pageDown: '\x1b[6~', tab: '\t', enter: '\r', escape: '\x1b', backspace: '\x7f', ctrlC: '\x03' } as const;

function wrap(lastFrame: () => string | undefined, stdin: { write: (data: string) => void }, extra: Omit<Rendered, 'frame' | 'press' | 'waitFrame'>): Rendered {
  const frame = (): string => {
    const text = stripAnsi(lastFrame() ?? '');
    if (/[\uE000\uE001]/.test(text)) throw new Error(`a row placeholder reached the screen unresolved:\n${text}`);
    return text;
  };
  return {
    ...extra,
    frame,
    press: (...keys) => keys.forEach((key) => stdin.write(key)),
    waitFrame: (check, what = 'a frame') => waitFor(() => (check(frame()) ? frame() : undefined), { timeoutMs: 10_000, what: `${what}; last frame:\n${frame()}` }),
  };
}

type Extra = Partial<Omit<AppProps, 'controller' | 'onExit'>>;

/** The App at ink-testing-library's size (100 columns; rows default to 24). */
export function renderApp(t: ExecutionContext, controller: FakeController, props: Extra = {}): Rendered {
  const exits: ('quit' | 'detach')[] = [];
  const raw: string[] = [];
  // ink-testing-library keeps the frames Ink wrote: the rows are swapped in when a frame is read.
  const overlay = new RowOverlay();
  const app = renderFixed(<App controller={controller} project="demo" mode="up" throttleMs={0} logThrottleMs={0} writeRaw={(data) => raw.push(data)} onExit={(r) => exits.push(r)} overlay={overlay} {...props} />);
  t.teardown(() => app.unmount());
  return wrap(() => overlay.resolve(app.lastFrame() ?? ''), app.stdin, { exits, raw, unmount: app.unmount });
}

/** The App in a terminal of the given size, which can be resized. */
export function renderSized(t: ExecutionContext, controller: FakeController, columns: number, rows: number, props: Extra = {}): Rendered {
  const exits: ('quit' | 'detach')[] = [];
  const raw: string[] = [];
  const stdout = new SizedStdout(columns, rows);
  const stdin = new FakeStdin();
  // With the overlay, as runTui draws: Ink writes placeholders, the stream swaps the rows in.
  const overlay = new RowOverlay();
  // Ink writes whole frames here (debug), so a redraw of the live rows is the last frame resolved again.
  const differ = new InkFrames();
  const redrawLive = (now: number): boolean => {
    if (differ.last === undefined) return false;
    stdout.screen = overlay.resolve(differ.last, now);
    stdout.redraws++;
    return true;
  };
  const instance = render(<App controller={controller} project="demo" mode="up" throttleMs={0} logThrottleMs={0} writeRaw={(data) => raw.push(data)} onExit={(r) => exits.push(r)} overlay={overlay} redrawLive={redrawLive} {...props} />, {
    stdout: terminalStream(stdout as unknown as NodeJS.WriteStream, overlay, differ),
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  t.teardown(() => instance.unmount());
  return wrap(() => stdout.screen, stdin, { exits, raw, unmount: instance.unmount, resize: (c, r) => stdout.resize(c, r), writes: () => stdout.frames.length, redraws: () => stdout.redraws });
}
