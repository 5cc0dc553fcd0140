import fs from 'node:fs';
import fsp from 'node:fs/promises';

/** Disk flushes done after the fact, off the event loop, and those an exiting process still owes. */

/** Flushes a file or a folder to disk; a folder some file systems cannot flush is left to the rename's atomicity. */
export async function flushToDisk(file: string, what: 'data' | 'all'): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(file, 'r');
    await (what === 'data' ? handle.datasync() : handle.sync());
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (what === 'data' || (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM')) throw error;
  } finally {
    await handle?.close();
  }
}

export function flushToDiskSync(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writers with work not yet on disk: an exiting process finishes them, synchronously. */
export interface Unfinished {
  finishSync(): void;
}

const unfinished = new Set<Unfinished>();
let exitHooked = false;

/** Finishes `writer` when the process exits, until `done(writer)`. */
export function onExit(writer: Unfinished): void {
  unfinished.add(writer);
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const each of unfinished) {
      try {
        each.finishSync();
      } catch {
        // Exiting: nothing is left to report to; the next start or `audit --verify` names the problem.
      }
    }
  });
}

export const done = (writer: Unfinished): boolean => unfinished.delete(writer);
