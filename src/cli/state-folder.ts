import { writableFolderProblem } from '../util/writable-folder.js';
import { stderrColors } from './output.js';

/**
 * `up` writes its control socket, log files and process records into the state folder from its first
 * moments: a folder it cannot write (a read-only root in a container) is said once, clearly, before anything
 * starts. Returns the exit code then, else undefined.
 */
export function refuseUnwritableStateFolder(stateDir: string): number | undefined {
  const problem = writableFolderProblem(stateDir);
  if (problem === undefined) return undefined;
  process.stderr.write(
    `${stderrColors().red('error')} the state folder ${stateDir} cannot be written: ${problem}\n` +
      '  node-unit keeps its control socket, log files and process records there. Give it a writable folder:\n' +
      '  --state-dir <path> or NODE_UNIT_STATE_DIR=<path>, or mount one at that path\n' +
      `  (in a container with a read-only root: --tmpfs ${stateDir}, or a volume).\n`,
  );
  return 1;
}
