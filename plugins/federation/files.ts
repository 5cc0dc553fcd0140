import { writeFileAtomicSync } from '../../src/index.js';
import fs from 'node:fs';

/**
 * Every federation file is replaced atomically: temp file in the same folder, fsync, rename, fsync of the
 * folder. A reader sees the old contents or the new, never a torn write, even after a machine crash.
 */
export function writeAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  writeFileAtomicSync(file, data, { fsync: true, mode });
}

/** A federation file that cannot be trusted: the node refuses to run federation rather than guess. */
export class FederationFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}; federation will not run until it is fixed or removed`);
    this.name = 'FederationFileError';
  }
}

/** JSON contents, undefined when the file does not exist, or a FederationFileError naming the path. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FederationFileError(file, `cannot be read (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FederationFileError(file, `is not valid JSON (${(error as Error).message})`);
  }
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 3_000;

/**
 * Runs `fn` holding `<file>.lock`, so a CLI command (invite, revoke, join) and a running supervisor never
 * lose each other's read-modify-write. Synchronous on purpose: checking and marking an invite used is one step.
 */
export function withFileLock<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = lockAge(lock);
      if (age !== undefined && age > LOCK_STALE_MS) fs.rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lock}: held by another node-unit process for more than ${LOCK_WAIT_MS / 1000} s`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function lockAge(lock: string): number | undefined {
  try {
    return Date.now() - fs.statSync(lock).mtimeMs;
  } catch {
    return undefined;
  }
}
