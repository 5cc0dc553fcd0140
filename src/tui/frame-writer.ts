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

export class FrameDiffer {
  private previous: readonly string[] | undefined;
  private previousColumns = 0;

  /** What to send to the terminal for what Ink wrote. */
  rewrite(data: string, columns: number): string {
    if (NEUTRAL.test(data)) return data;
    const erase = ERASE_LINES.exec(data);
    if (!erase) {
      this.previous = undefined;
      return data;
    }
    const erased = (erase[1] ?? '').length / ERASE_AND_UP + 1;
    const lines = data.slice(erase[0].length).split('\n');
    const previous = this.previous;
    const sameShape = previous !== undefined && previous.length === lines.length && erased === lines.length && columns === this.previousColumns && lines.at(-1) === '';
    this.previous = lines;
    this.previousColumns = columns;
    if (!sameShape) return data;
    // The cursor is below the frame, on the empty line after its last newline: go up to its first line.
    const rows = lines.length - 1;
    let out = `\x1b[${rows}A`;
    for (let i = 0; i < rows; i++) {
      if (lines[i] !== previous[i]) out += `\r${lines[i] ?? ''}\x1b[K`;
      out += '\n';
    }
    return `${out}\r`;
  }
}

/**
 * The terminal as Ink sees it: the same stream, with frames cut down to the lines that changed and row
 * placeholders swapped for their rows (RowOverlay) on their way out.
 */
export function terminalStream(stdout: NodeJS.WriteStream, overlay: RowOverlay, differ: FrameDiffer = new FrameDiffer()): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const data = typeof chunk === 'string' ? overlay.resolve(differ.rewrite(chunk, stdout.columns)) : chunk;
    return Reflect.apply(stdout.write, stdout, [data, ...rest]) as boolean;
  };
  return new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
