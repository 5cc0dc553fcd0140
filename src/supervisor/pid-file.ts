import fs from 'node:fs';
import path from 'node:path';
import type { AppSpec } from '../model/app.js';

/** pm2's name for an instance's pid file: `-<id>` before `.pid` (app.pid → app-0.pid, app-3.pid → app-0.pid). */
export function pidFilePath(file: string, index: number): string {
  const base = file.replace(/-[0-9]+\.pid$|\.pid$/, '');
  return `${base}-${index}.pid`;
}

/** Written when the instance's process starts, as pm2 does; a folder that cannot be written is a note, not a failure. */
export function writePidFile(app: AppSpec, index: number, pid: number): string | undefined {
  if (app.pidFile === undefined) return undefined;
  const file = pidFilePath(app.pidFile, index);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, String(pid));
    return undefined;
  } catch (error) {
    return `[node-unit] cannot write pid_file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

/** Removed when the process has exited, as pm2 does. */
export function removePidFile(app: AppSpec, index: number): void {
  if (app.pidFile === undefined) return;
  try {
    fs.rmSync(pidFilePath(app.pidFile, index), { force: true });
  } catch {
    // A file we could not remove is left as pm2 would leave it; the supervisor carries on.
  }
}
