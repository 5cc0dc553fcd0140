import fs from 'node:fs';
import path from 'node:path';

/**
 * Replaces `file` with `data` so that a reader sees either the old or the new contents, never a torn write:
 * write a temp file in the same folder, then rename over the target.
 * `fsync: true` also survives a machine crash (not only a process crash): the file and then its folder are
 * flushed, at the cost of two disk flushes.
 */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: { readonly fsync?: boolean; readonly mode?: number } = {}): void {
  const temp = tempBeside(file);
  const fd = fs.openSync(temp, 'wx', options.mode ?? 0o600);
  try {
    if (typeof data === 'string') fs.writeSync(fd, data);
    else fs.writeSync(fd, data);
    if (options.fsync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  if (options.fsync) syncFolder(path.dirname(file));
}

/** writeFileAtomicSync without the flushes, in libuv's thread pool: the event loop never waits on the disk. */
export async function writeFileAtomic(file: string, data: string, options: { readonly mode?: number } = {}): Promise<void> {
  const temp = tempBeside(file);
  await fs.promises.writeFile(temp, data, { flag: 'wx', mode: options.mode ?? 0o600 });
  try {
    await fs.promises.rename(temp, file);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
}

const tempBeside = (file: string): string => path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${process.hrtime.bigint()}.tmp`);

function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
