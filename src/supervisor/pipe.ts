import fs from 'node:fs';

/** A pipe for one child stream: the child gets `writeFd`, the supervisor reads `readFd`. */
export interface Pipe {
  readonly readFd: number;
  readonly writeFd: number;
  /** Bytes the pipe holds before the child's writes wait. */
  readonly capacity: number;
  /** Gives back what the pipe took from the supervisor's pipe budget; safe to call more than once. */
  readonly release?: () => void;
  /** Asks for a larger capacity (an app is flooding it); the capacity now. Only while the read end is open. */
  readonly grow?: () => number;
}

/** Linux's capacity for a new pipe. */
export const DEFAULT_PIPE_BYTES = 64 * 1024;

/** Closes both ends (either may already be closed) and gives back the pipe's budget. */
export function closePipe(pipe: Pipe): void {
  closeQuietly(pipe.writeFd);
  closeReadEnd(pipe);
}

/** Once the write end is the child's alone: closes ours for reading and gives back the pipe's budget. */
export function closeReadEnd(pipe: Pipe): void {
  closeQuietly(pipe.readFd);
  pipe.release?.();
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
}
