import { MARKER_NAME } from './marker.js';
import { endTree } from './stop.js';

/**
 * Run by the orphan guard's watchdog when the supervisor died (the watchdog execs Node with this file), so
 * the sweep walks the trees with the same code as every stop: reaper-main.js <marker> <since> <pid>…
 * The watchdog already froze the recorded groups; this freezes the rest, then TERM, CONT, a short grace, KILL.
 */
const TERM_GRACE_MS = 1000;

const [value, since, ...pids] = process.argv.slice(2);
const roots = pids.map(Number).filter((pid) => Number.isSafeInteger(pid) && pid > 1);
if (value !== undefined && value !== '') {
  await endTree(
    { roots, groups: roots, marker: { name: MARKER_NAME, value, family: true, since: Number(since) || 0 } },
    { signal: 'SIGTERM', timeoutMs: TERM_GRACE_MS, freeze: true },
  );
}
