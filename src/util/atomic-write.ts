import fs from 'node:fs';
import path from 'node:path';

/**
 * Replaces `file` with `data` so that a reader sees either the old or the new contents, never a torn write:
 * write a temp file in the same folder, then rename over the target.
 * `fsync: true` also survives a machine crash (not only a process crash), at the cost of a disk flush.
 */
export function writeFileAtomicSync(file: string, data: string, options: { readonly fsync?: boolean; readonly mode?: number } = {}): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, 'w', options.mode ?? 0o600);
  try {
    fs.writeSync(fd, data);
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
}
