import fs from 'node:fs';
import { createRequire } from 'node:module';
import { closePipe, DEFAULT_PIPE_BYTES, type Pipe } from './pipe.js';

/** Capacity asked for a child's output pipe: a flood of short lines fills 64 KiB in under 3 ms, which the log
 * reader's 1 ms pauses overrun; 256 KiB holds 10 ms of such a flood. */
export const LARGE_PIPE_BYTES = 256 * 1024;
/** A pipe found full when read grows to this, while the budget lasts: an app writing large blocks then
 * waits for the supervisor less often, and each read takes more (the 64 KiB-write flood's loop ran about 20 % faster). */
export const FLOOD_PIPE_BYTES = 1024 * 1024;
/** From dist/src/supervisor to the package root, where node-gyp puts the addon. */
const ADDON = '../../../build/Release/node_unit_native.node';

type MakePipe = (capacity: number) => readonly [number, number, number];
type ResizePipe = (fd: number, capacity: number) => number;

/** Reading of one pipe by the native helper: stops and starts at once; close() ends it early and closes the fd. */
export interface PipeWatch {
  pause(): void;
  resume(): void;
  close(): void;
}

/**
 * Called for each read: `bytes` > 0 is a chunk at `start` in the buffer (lent for the call), with the
 * newlines in it and the offset of the last from `start` (-1: none); 0 is the end of the pipe, < 0 an errno.
 */
export type OnPipeChunk = (start: number, bytes: number, newlines: number, lastNewline: number) => void;
type WatchPipe = (fd: number, buffer: Buffer, onChunk: OnPipeChunk) => PipeWatch;

/** The addon built at install (native/pipe.c and reader.c). */
export interface NativeHelper {
  readonly makePipe: MakePipe;
  readonly resizePipe: ResizePipe;
  readonly watchPipe: WatchPipe;
  /** A buffer starting on a page boundary (see reader.c on why reads want one). */
  readonly alignedBuffer: (size: number) => Buffer;
  /** Grows a socket's kernel send buffer (SO_SNDBUF); answers its size now. Absent from helpers built before it. */
  readonly setSendBuffer?: (fd: number, bytes: number) => number;
}

const isFunction = (value: unknown): value is (...args: unknown[]) => unknown => typeof value === 'function';

function isPipeWatch(value: unknown): value is PipeWatch {
  return typeof value === 'object' && value !== null && 'pause' in value && isFunction(value.pause) && 'resume' in value && isFunction(value.resume) && 'close' in value && isFunction(value.close);
}

/** The helper, or undefined where it was not built or NODE_UNIT_NATIVE=0. */
export function loadNativeHelper(): NativeHelper | undefined {
  if (process.env.NODE_UNIT_NATIVE === '0') return undefined;
  let addon: unknown;
  try {
    addon = createRequire(import.meta.url)(ADDON);
  } catch {
    return undefined;
  }
  if (typeof addon !== 'object' || addon === null || !('makePipe' in addon) || !('resizePipe' in addon) || !('watchPipe' in addon) || !('alignedBuffer' in addon)) return undefined;
  const { makePipe: make, resizePipe: resize, watchPipe: watch, alignedBuffer: aligned } = addon;
  if (!isFunction(make) || !isFunction(resize) || !isFunction(watch) || !isFunction(aligned)) return undefined;
  const sendBuffer: unknown = 'setSendBuffer' in addon ? addon.setSendBuffer : undefined;
  return {
    ...(isFunction(sendBuffer)
      ? {
          setSendBuffer: (fd: number, bytes: number) => {
            const now: unknown = Reflect.apply(sendBuffer, addon, [fd, bytes]);
            if (typeof now !== 'number') throw new Error(`setSendBuffer gave ${String(now)}`);
            return now;
          },
        }
      : {}),
    makePipe: (capacity) => {
      const made: unknown = Reflect.apply(make, addon, [capacity]);
      if (!Array.isArray(made) || made.length !== 3 || !made.every((n) => Number.isInteger(n))) throw new Error(`makePipe gave ${String(made)}`);
      return [Number(made[0]), Number(made[1]), Number(made[2])];
    },
    resizePipe: (fd, capacity) => {
      const now: unknown = Reflect.apply(resize, addon, [fd, capacity]);
      if (typeof now !== 'number') throw new Error(`resizePipe gave ${String(now)}`);
      return now;
    },
    watchPipe: (fd, buffer, onChunk) => {
      const watching: unknown = Reflect.apply(watch, addon, [fd, buffer, onChunk]);
      if (!isPipeWatch(watching)) throw new Error(`watchPipe gave ${String(watching)}`);
      return watching;
    },
    alignedBuffer: (size) => {
      const buffer: unknown = Reflect.apply(aligned, addon, [size]);
      if (!Buffer.isBuffer(buffer)) throw new Error(`alignedBuffer gave ${String(buffer)}`);
      return buffer;
    },
  };
}

/**
 * Linux charges every pipe's capacity to its user, and past `pipe-user-pages-soft` (64 MiB by default)
 * gives that user's new pipes 8 KiB only — in every program they run. Large pipes therefore come from
 * a budget of a quarter of that limit; past it, pipes keep the default capacity.
 */
export class PipeBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  static forThisSystem(): PipeBudget {
    let pages = 16384;
    try {
      pages = Number(fs.readFileSync('/proc/sys/fs/pipe-user-pages-soft', 'utf8'));
    } catch {
      // no /proc: the default
    }
    // 0 means no limit.
    return new PipeBudget(pages > 0 ? (pages * 4096) / 4 : 64 * 1024 * 1024);
  }

  /** Takes `bytes` when the budget allows: an idempotent release, or undefined. */
  hold(bytes: number): (() => void) | undefined {
    if (this.used + bytes > this.limit) return undefined;
    this.used += bytes;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.used -= bytes;
    };
  }

  get inUse(): number {
    return this.used;
  }
}

/** Pipes made by pipe2(2), large while the budget lasts, and larger once found full. */
export class NativePipes {
  constructor(
    private readonly native: Pick<NativeHelper, 'makePipe' | 'resizePipe'>,
    private readonly budget: PipeBudget,
    private readonly largeBytes = LARGE_PIPE_BYTES,
    private readonly floodBytes = FLOOD_PIPE_BYTES,
  ) {}

  take(count: number): Pipe[] {
    const pipes: Pipe[] = [];
    try {
      for (let i = 0; i < count; i++) pipes.push(this.makeOne());
    } catch (error) {
      for (const pipe of pipes) closePipe(pipe);
      throw error;
    }
    return pipes;
  }

  private makeOne(): Pipe {
    const held: (() => void)[] = [];
    const first = this.budget.hold(this.largeBytes - DEFAULT_PIPE_BYTES);
    const [readFd, writeFd, made] = this.native.makePipe(first ? this.largeBytes : 0);
    // The kernel may refuse a size (its own per-user limit): then nothing is held for it.
    if (first && made > DEFAULT_PIPE_BYTES) held.push(first);
    else first?.();
    let capacity = made;
    const grow = (): number => {
      if (capacity >= this.floodBytes) return capacity;
      const more = this.budget.hold(this.floodBytes - capacity);
      if (!more) return capacity;
      const now = this.native.resizePipe(readFd, this.floodBytes);
      if (now > capacity) {
        held.push(more);
        capacity = now;
      } else more();
      return capacity;
    };
    const release = (): void => {
      for (const give of held.splice(0)) give();
    };
    return { readFd, writeFd, capacity: made, grow, release };
  }
}
