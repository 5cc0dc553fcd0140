import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** A pipe for one child stream: the child gets `writeFd`, the supervisor reads `readFd`. */
export interface Pipe {
  readonly readFd: number;
  readonly writeFd: number;
}

const BATCH = 8;

/**
 * Real pipes for children's stdout and stderr. child_process hands a child a socketpair, where every
 * small write takes a whole socket-buffer entry: about 250 short lines fill it, so a reader that lets
 * output collect for a moment makes the child wait. A pipe merges small writes into 64 KiB.
 * Node cannot call pipe(2): pipes are made as FIFOs, one `mkfifo` run per batch in a private folder,
 * opened at both ends and unlinked at once, so nothing stays on disk. Without mkfifo, take() gives
 * undefined and the caller keeps child_process' socketpair.
 */
export class PipePool {
  private readonly ready: Pipe[] = [];
  private filling: Promise<void> | undefined;
  private unavailable: boolean;

  constructor(enabled = true) {
    this.unavailable = !enabled;
  }

  /** `count` pipes, made now if the pool is short; undefined when pipes cannot be made here. */
  async take(count: number): Promise<Pipe[] | undefined> {
    while (this.ready.length < count && !this.unavailable) await this.fill(Math.max(count, BATCH));
    if (this.ready.length < count) return undefined;
    const taken = this.ready.splice(0, count);
    if (this.ready.length < count) void this.fill(BATCH);
    return taken;
  }

  private fill(count: number): Promise<void> {
    this.filling ??= makePipes(count)
      .then((pipes) => void this.ready.push(...pipes))
      .catch(() => void (this.unavailable = true))
      .finally(() => (this.filling = undefined));
    return this.filling;
  }
}

const PREFIX = 'node-unit-pipes-';

async function makePipes(count: number): Promise<Pipe[]> {
  await removeOrphans();
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
  try {
    const names = Array.from({ length: count }, (_, i) => path.join(dir, String(i)));
    await new Promise<void>((resolve, reject) => execFile('mkfifo', ['-m', '600', ...names], (error) => (error ? reject(error) : resolve())));
    return names.map(openFifo);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** Folders left by a process killed while it made pipes (the name carries its pid). */
async function removeOrphans(): Promise<void> {
  const names = await fs.promises.readdir(os.tmpdir()).catch(() => []);
  for (const name of names) {
    const pid = Number(/^node-unit-pipes-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && !alive(pid)) await fs.promises.rm(path.join(os.tmpdir(), name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The read end first, non-blocking (a FIFO's write end cannot open before a reader exists). */
function openFifo(name: string): Pipe {
  const readFd = fs.openSync(name, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writeFd = fs.openSync(name, fs.constants.O_WRONLY);
  fs.unlinkSync(name);
  return { readFd, writeFd };
}

/**
 * The supervisor's end as a stream. A high-water mark of 0 makes pause() stop reading from the
 * pipe at once (the log reader pauses briefly so output collects into large reads, and for backpressure).
 */
export function pipeReader(pipe: Pipe): net.Socket {
  // net.Socket passes stream options on to its Duplex; @types/node does not list this one.
  const options: net.SocketConstructorOpts & { readonly readableHighWaterMark: number } = { fd: pipe.readFd, readable: true, writable: false, readableHighWaterMark: 0 };
  return new net.Socket(options);
}

export function closePipe(pipe: Pipe): void {
  for (const fd of [pipe.readFd, pipe.writeFd]) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
  }
}

/**
 * The supervisor runs on the main thread. In a worker thread (a test runner), Node records every fd that
 * fs opens and closes them when the worker exits; a read end is closed by its socket, not by fs, so the
 * worker would later close a number reused by another thread. Workers keep child_process' socketpairs.
 */
export const pipePool = new PipePool(isMainThread);
