/**
 * Loaded with `--require` into Node apps (blocking_stdio, on by default): makes stdout and stderr blocking
 * when they are pipes, as Node already does for files and terminals. Without it a write to a full pipe is
 * queued inside the app, and process.exit() drops the queue (nodejs/node#53242). Node creates these streams
 * on first use, and creating one costs a few ms: so nothing is created here, the first use sets it blocking.
 * It then takes itself out of process.execArgv, so the app's own forks are not changed behind its back.
 */
function setBlocking(stream: unknown): void {
  if (typeof stream !== 'object' || stream === null || !('_handle' in stream)) return;
  const handle: unknown = stream._handle;
  if (typeof handle === 'object' && handle !== null && 'setBlocking' in handle && typeof handle.setBlocking === 'function') handle.setBlocking(true);
}

function blockOnFirstUse(name: 'stdout' | 'stderr'): void {
  const original = Object.getOwnPropertyDescriptor(process, name);
  const create = original?.get;
  if (!original || !create || !original.configurable) return;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: original.enumerable ?? true,
    get(): unknown {
      // Node's getter keeps the stream it made: put it back, so later reads cost nothing.
      Object.defineProperty(process, name, original);
      const stream: unknown = create.call(process);
      setBlocking(stream);
      return stream;
    },
  });
}

blockOnFirstUse('stdout');
blockOnFirstUse('stderr');
const at = process.execArgv.findIndex((arg, i) => arg === '--require' && process.execArgv[i + 1] === __filename);
if (at >= 0) process.execArgv.splice(at, 2);
