import fs from 'node:fs';
import treeKill from 'tree-kill';

/** Whether this system lists its processes in /proc, where the tree walk of proctable.ts reads them. */
export const HAS_PROC = fs.existsSync('/proc/self/stat');

/**
 * Signals a process and its descendants by asking `ps` (pgrep on macOS) for the children: the stop path
 * where there is no /proc to walk. Resolves once the signals are sent; a process already gone is no error.
 */
export function killTreeWithPs(pid: number, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => treeKill(pid, signal, () => resolve()));
}
