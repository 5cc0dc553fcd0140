import fs from 'node:fs';
import path from 'node:path';

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** The folder itself or its closest ancestor that exists. */
function nearestExisting(folder: string): string {
  let current = folder;
  while (!fs.existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/**
 * Why the folder could not be created or written, told by the folder where it went wrong. Node's recursive
 * mkdir reports ENOENT on a read-only file system, so the cause is asked of that folder rather than taken
 * from the error.
 */
function explain(folder: string, error: unknown): string {
  const existing = nearestExisting(folder);
  if (!fs.statSync(existing, { throwIfNoEntry: false })?.isDirectory()) return `${existing} is a file, not a folder`;
  let code = errnoCode(error);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch (denied) {
    code = errnoCode(denied) ?? code;
  }
  switch (code) {
    case 'EROFS':
      return `${existing} is on a read-only file system`;
    case 'EACCES':
    case 'EPERM':
      return `${existing} is not writable by this user (uid ${process.getuid?.() ?? '?'})`;
    case 'ENOSPC':
      return `the file system of ${existing} is full`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Creates the folder if need be and checks it can be written: undefined when it can, else why not. */
export function writableFolderProblem(folder: string, mode?: number): string | undefined {
  try {
    fs.mkdirSync(folder, { recursive: true, ...(mode === undefined ? {} : { mode }) });
    fs.accessSync(folder, fs.constants.W_OK);
    return undefined;
  } catch (error) {
    return explain(folder, error);
  }
}
