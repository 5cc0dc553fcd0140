import net from 'node:net';
import { isMainThread } from 'node:worker_threads';
import { FifoPool } from './fifo-pipes.js';
import { loadMakePipe, NativePipes, PipeBudget } from './native-pipes.js';
import type { Pipe } from './pipe.js';
import type { LentChunks } from '../logs/reader.js';

export { closePipe, type Pipe } from './pipe.js';

/**
 * Real pipes for children's stdout and stderr. child_process hands a child a socketpair, where every
 * small write takes a whole socket-buffer entry: about 250 short lines fill it, so a reader that lets
 * output collect for a moment makes the child wait. A pipe merges small writes; with the native helper
 * it also holds 256 KiB instead of 64 KiB, so a flooding child rarely waits for the supervisor.
 */
export interface PipeSource {
  /** `count` pipes; undefined when pipes cannot be made here (the caller keeps socketpairs). */
  take(count: number): Promise<Pipe[] | undefined>;
}

class NativeSource implements PipeSource {
  constructor(private readonly pipes: NativePipes) {}

  take(count: number): Promise<Pipe[] | undefined> {
    try {
      return Promise.resolve(this.pipes.take(count));
    } catch {
      return Promise.resolve(undefined);
    }
  }
}

/**
 * The supervisor's source. In a worker thread (a test runner) Node records every fd that fs opens and
 * closes them when the worker exits; a read end is closed by its socket, not by fs, so the worker would
 * later close a number reused by another thread (and fs warns about fds it did not open). The supervisor
 * runs on the main thread; workers keep child_process' socketpairs.
 */
function supervisorSource(): PipeSource {
  if (!isMainThread) return { take: () => Promise.resolve(undefined) };
  const makePipe = loadMakePipe();
  if (makePipe) return new NativeSource(new NativePipes(makePipe, PipeBudget.forThisSystem()));
  return new FifoPool();
}

export const pipePool: PipeSource = supervisorSource();

/** One read buffer for every pipe: reads run one at a time on this thread, and each chunk is lent only for the call. */
const READ_BYTES = 256 * 1024;
let readBuffer: Buffer | undefined;

/**
 * The supervisor's end, read into the shared buffer (net.Socket's `onread`): a socket's own reads take
 * a fresh 64 KiB buffer each, and faulting in that memory cost a flood more than everything else.
 * pause() and resume() stop and start reading at once.
 */
export function pipeReader(pipe: Pipe): LentChunks {
  let take: (chunk: Buffer) => void = () => undefined;
  readBuffer ??= Buffer.allocUnsafeSlow(READ_BYTES);
  const onread: net.OnReadOpts = {
    buffer: readBuffer,
    callback: (read, buffer) => {
      take(Buffer.from(buffer.buffer, buffer.byteOffset, read));
      return true;
    },
  };
  // net.Socket's constructor takes `onread` as connect() does; @types/node lists it for connect() only.
  const options: net.SocketConstructorOpts & { readonly onread: net.OnReadOpts } = { fd: pipe.readFd, readable: true, writable: false, onread };
  const socket = new net.Socket(options);
  if (pipe.release) socket.once('close', pipe.release);
  return { kind: 'lent', stream: socket, lend: (taker) => (take = taker) };
}
