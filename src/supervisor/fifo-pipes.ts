import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PIPE_BYTES, type Pipe } from './pipe.js';

const BATCH = 8;
const PREFIX = 'node-unit-pipes-';
/** A pipe folder's name carries the pid of the process that made it. */
const FOLDER = /^node-unit-pipes-(\d+)-/;

/**
 * Pipes without the native helper. Node cannot call pipe(2): pipes are made as FIFOs, one `mkfifo`
 * run per batch in a private folder, opened at both ends and unlinked at once, so nothing stays on
 * disk. Without mkfifo, take() gives undefined and the caller keeps child_process' socketpair.
 */
export class FifoPool {
  private readonly ready: Pipe[] = [];
  private filling: Promise<void> | undefined;
  private unavailable = false;

  /** `count` pipes, made now if the pool is short; undefined when pipes cannot be made here. */
  async take(count: number): Promise<Pipe[] | undefined> {
    while (this.ready.length < count && !this.unavailable) await this.fill(Math.max(count, BATCH));
    if (this.ready.length < count) return undefined;
    const taken = this.ready.splice(0, count);
    if (this.ready.length < count) void this.fill(BATCH);
    return taken;
  }

  private fill(count: number): Promise<void> {
    this.filling ??= makeFifos(count)
      .then((pipes) => void this.ready.push(...pipes))
      .catch(() => void (this.unavailable = true))
      .finally(() => (this.filling = undefined));
    return this.filling;
  }
}

async function makeFifos(count: number): Promise<Pipe[]> {
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
    const pid = Number(FOLDER.exec(name)?.[1]);
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
  return { readFd, writeFd, capacity: DEFAULT_PIPE_BYTES };
}
