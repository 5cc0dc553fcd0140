import net from 'node:net';
import { isMainThread } from 'node:worker_threads';
import { FifoPool } from './fifo-pipes.js';
import { FLOOD_PIPE_BYTES, loadNativeHelper, NativePipes, PipeBudget, type NativeHelper, type OnPipeChunk, type PipeWatch } from './native-pipes.js';
import { closeReadEnd, type Pipe } from './pipe.js';
import type { LentChunks } from '../logs/reader.js';

export { closePipe, closeReadEnd, type Pipe } from './pipe.js';

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

/** The native helper (it makes and reads the pipes), on the main thread only: see supervisorSource. */
const helper: NativeHelper | undefined = isMainThread ? loadNativeHelper() : undefined;

/**
 * The supervisor's source. In a worker thread (a test runner) Node records every fd that fs opens and
 * closes them when the worker exits; a read end is closed by its socket, not by fs, so the worker would
 * later close a number reused by another thread (and fs warns about fds it did not open). The supervisor
 * runs on the main thread; workers keep child_process' socketpairs.
 */
function supervisorSource(): PipeSource {
  if (!isMainThread) return { take: () => Promise.resolve(undefined) };
  if (helper) return new NativeSource(new NativePipes(helper, PipeBudget.forThisSystem()));
  return new FifoPool();
}

export const pipePool: PipeSource = supervisorSource();

/**
 * A control socket's kernel send buffer, grown (net.core.wmem_max caps it, 4 MiB by default): during a
 * flood the supervisor's event loop turns seldom, and a follower receives per turn only what the kernel
 * holds for it (about 200 KiB by default for a unix socket) plus the connection's own bounded backlog.
 */
export const CONTROL_SEND_BUFFER_BYTES = 4 * 1024 * 1024;

/** Grows `socket`'s send buffer with the native helper; without it (or on any failure) the socket is left as it is. */
export function growSendBuffer(socket: net.Socket, bytes = CONTROL_SEND_BUFFER_BYTES): void {
  // Node keeps a socket's fd on its private handle; nothing public gives it.
  const handle: unknown = Reflect.get(socket, '_handle');
  const fd: unknown = typeof handle === 'object' && handle !== null ? Reflect.get(handle, 'fd') : undefined;
  if (typeof fd !== 'number' || fd < 0 || !helper?.setSendBuffer) return;
  try {
    helper.setSendBuffer(fd, bytes);
  } catch {
    // a socket that refuses keeps its default buffer: followers drop sooner, nothing else changes
  }
}

/** One read buffer for every pipe: reads run one at a time on this thread, and each chunk is lent only for the call. */
const READ_BYTES = FLOOD_PIPE_BYTES;
let readBuffer: Buffer | undefined;

function sharedReadBuffer(): Buffer {
  if (readBuffer) return readBuffer;
  try {
    readBuffer = helper?.alignedBuffer(READ_BYTES);
  } catch {
    // no aligned memory: an ordinary buffer reads as well, only slower
  }
  readBuffer ??= Buffer.allocUnsafeSlow(READ_BYTES);
  return readBuffer;
}

/**
 * The supervisor's end of a pipe, read into the shared buffer. With the native helper the read end is
 * polled on the event loop and read with read(2), which also counts each chunk's newlines: Node's
 * stream reads and a count in JavaScript cost a flood more than copying its bytes. Reading starts at
 * lend(); pause() and resume() stop and start it at once.
 */
export function pipeReader(pipe: Pipe): LentChunks {
  return helper ? watchedReader(pipe, helper) : socketReader(pipe);
}

function watchedReader(pipe: Pipe, native: NativeHelper): LentChunks {
  let watch: PipeWatch | undefined;
  let paused = false;
  let capacity = pipe.capacity;
  return {
    kind: 'lent',
    pause: () => {
      paused = true;
      watch?.pause();
    },
    resume: () => {
      paused = false;
      watch?.resume();
    },
    lend: (take, end) => {
      if (watch) return;
      const buffer = sharedReadBuffer();
      const onChunk: OnPipeChunk = (start, bytes, newlines, lastNewline) => {
        if (bytes > 0) {
          // A read that emptied a full pipe: the app is flooding it.
          if (bytes >= capacity && pipe.grow) capacity = pipe.grow();
          return take(buffer.subarray(start, start + bytes), newlines, lastNewline);
        }
        pipe.release?.();
        end();
      };
      try {
        watch = native.watchPipe(pipe.readFd, buffer, onChunk);
      } catch (error) {
        // The fd cannot be polled (out of memory or fds): the output is lost, the supervisor goes on.
        process.stderr.write(`[node-unit] cannot read an app's output: ${error instanceof Error ? error.message : String(error)}\n`);
        closeReadEnd(pipe);
        return end();
      }
      if (paused) watch.pause();
    },
  };
}

/** Without the helper: a net.Socket over the fd, reading into the shared buffer (its own reads would take a fresh 64 KiB buffer each). */
function socketReader(pipe: Pipe): LentChunks {
  let take: (chunk: Buffer) => void = () => undefined;
  const buffer = sharedReadBuffer();
  const onread: net.OnReadOpts = {
    buffer,
    callback: (read, into) => {
      take(Buffer.from(into.buffer, into.byteOffset, read));
      return true;
    },
  };
  // net.Socket's constructor takes `onread` as connect() does; @types/node lists it for connect() only.
  const options: net.SocketConstructorOpts & { readonly onread: net.OnReadOpts } = { fd: pipe.readFd, readable: true, writable: false, onread };
  const socket = new net.Socket(options);
  socket.once('close', () => pipe.release?.());
  return {
    kind: 'lent',
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    lend: (taker, end) => {
      take = taker;
      socket.once('end', end);
      socket.once('close', end);
      socket.once('error', end);
    },
  };
}
