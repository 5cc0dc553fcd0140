import fs from 'node:fs';

/**
 * Latency marks of a remote command's hops, off unless NODE_UNIT_FED_TRACE names a file: each mark is one
 * line `<epoch ms, µs precision> <pid> <mark> <id>`, appended synchronously so that marks of the master and a
 * worker on one machine interleave on one clock. For measuring only; the cost when off is one comparison.
 */
const file = process.env.NODE_UNIT_FED_TRACE;

export const tracing = file !== undefined && file !== '';

export function mark(what: string, id: string | number = ''): void {
  if (!tracing || file === undefined) return;
  fs.appendFileSync(file, `${(performance.timeOrigin + performance.now()).toFixed(3)} ${process.pid} ${what} ${id}\n`);
}
