/**
 * Loaded with `--require` into Node apps (blocking_stdio, on by default): makes stdout and stderr blocking
 * when they are pipes, as Node already does for files and terminals. Without it a write to a full pipe is
 * queued inside the app, and process.exit() drops the queue (nodejs/node#53242). It then takes itself out of
 * process.execArgv, so the app's own forks are not changed behind its back.
 */
/** A FIFO or a socket (child_process' 'pipe' is a socketpair). Files and terminals are synchronous already. */
function isPipe(fd: number): boolean {
  try {
    const stat = (require('node:fs') as typeof import('node:fs')).fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

function setBlocking(stream: unknown): void {
  if (typeof stream !== 'object' || stream === null || !('_handle' in stream)) return;
  const handle: unknown = stream._handle;
  if (typeof handle === 'object' && handle !== null && 'setBlocking' in handle && typeof handle.setBlocking === 'function') handle.setBlocking(true);
}

if (isPipe(1)) setBlocking(process.stdout);
if (isPipe(2)) setBlocking(process.stderr);
const at = process.execArgv.findIndex((arg, i) => arg === '--require' && process.execArgv[i + 1] === __filename);
if (at >= 0) process.execArgv.splice(at, 2);
