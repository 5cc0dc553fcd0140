import { RowOverlay } from './row-overlay.js';

/**
 * Writes only the lines of a frame that changed. Ink's standard renderer erases and rewrites the whole
 * frame every time; its incremental renderer (Ink 6.8) moves the cursor up one row too few when the frame
 * ends with a newline, which every frame shorter than the screen does (ours is `rows - 1`): seen in tmux as a
 * stale header and the frame one row low. So Ink keeps its standard renderer and this rewrites its output:
 * a frame is `eraseLines(n)` then the lines; when the previous frame had as many lines and the width did not
 * change, only the lines that differ are written, each cleared to its end.
 */
// eslint-disable-next-line no-control-regex
const ERASE_LINES = /^((?:\x1b\[2K\x1b\[1A)*)\x1b\[2K\x1b\[G/;
const ERASE_AND_UP = '\x1b[2K\x1b[1A'.length;
/** Writes that neither draw nor move the cursor: synchronized-output brackets, cursor show / hide. */
// eslint-disable-next-line no-control-regex
const NEUTRAL = /^(?:\x1b\[\?(?:2026|25)[hl])+$/;

/** Swaps a line's row placeholders for their rows, as they read at one moment. */
export type ResolveLine = (line: string) => string;

const AS_WRITTEN: ResolveLine = (line) => line;

interface Frame {
  /** The lines as Ink wrote them (with placeholders); the last is empty: the cursor waits below the frame. */
  readonly lines: readonly string[];
  /** The lines as the terminal shows them. */
  readonly shown: readonly string[];
  readonly columns: number;
}

export class FrameDiffer {
  private frame: Frame | undefined;

  /** What to send to the terminal for what Ink wrote. */
  rewrite(data: string, columns: number, resolve: ResolveLine = AS_WRITTEN): string {
    if (NEUTRAL.test(data)) return data;
    const erase = ERASE_LINES.exec(data);
    if (!erase) {
      this.frame = undefined;
      return resolve(data);
    }
    const erased = (erase[1] ?? '').length / ERASE_AND_UP + 1;
    const lines = data.slice(erase[0].length).split('\n');
    const shown = lines.map(resolve);
    const previous = this.frame;
    this.frame = { lines, shown, columns };
    const sameShape = previous !== undefined && previous.lines.length === lines.length && erased === lines.length && columns === previous.columns && lines.at(-1) === '';
    return sameShape ? changedLines(previous.shown, shown) : erase[0] + shown.join('\n');
  }

  /**
   * The last frame again, its rows as they read now: only the lines that changed, or '' when none did.
   * Undefined when there is no frame to redraw in place (none yet, the width changed, or its shape is not
   * known); then only a new frame can draw.
   */
  redraw(columns: number, resolve: ResolveLine): string | undefined {
    const frame = this.frame;
    if (frame === undefined || frame.columns !== columns || frame.lines.at(-1) !== '') return undefined;
    const shown = frame.lines.map(resolve);
    this.frame = { ...frame, shown };
    return shown.every((line, i) => line === frame.shown[i]) ? '' : changedLines(frame.shown, shown);
  }
}

/** From below the frame: up to its first line, each changed line rewritten and cleared to its end, back below. */
function changedLines(previous: readonly string[], lines: readonly string[]): string {
  const rows = lines.length - 1;
  let out = `\x1b[${rows}A`;
  for (let i = 0; i < rows; i++) {
    if (lines[i] !== previous[i]) out += `\r${lines[i] ?? ''}\x1b[K`;
    out += '\n';
  }
  return `${out}\r`;
}

/**
 * The terminal as Ink sees it: the same stream, with frames cut down to the lines that changed and row
 * placeholders swapped for their rows (RowOverlay) on their way out.
 */
export function terminalStream(stdout: NodeJS.WriteStream, overlay: RowOverlay, differ: FrameDiffer = new FrameDiffer()): NodeJS.WriteStream {
  return liveTerminal(stdout, overlay, differ).stream;
}

export interface LiveTerminal {
  /** What Ink writes to. */
  readonly stream: NodeJS.WriteStream;
  /** Draws the live rows of the last frame as they read at `now`; false when only a new frame can draw. */
  readonly redraw: (now: number) => boolean;
}

export function liveTerminal(stdout: NodeJS.WriteStream, overlay: RowOverlay, differ: FrameDiffer = new FrameDiffer()): LiveTerminal {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk !== 'string') return Reflect.apply(stdout.write, stdout, [chunk, ...rest]) as boolean;
    const now = Date.now();
    return Reflect.apply(stdout.write, stdout, [differ.rewrite(chunk, stdout.columns, (line) => overlay.resolve(line, now)), ...rest]) as boolean;
  };
  const stream = new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const redraw = (now: number): boolean => {
    const out = differ.redraw(stdout.columns, (line) => overlay.resolve(line, now));
    if (out === undefined) return false;
    if (out !== '') stdout.write(out);
    return true;
  };
  return { stream, redraw };
}
