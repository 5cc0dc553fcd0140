import { withClient, type ProjectOptions } from '../control-target.js';
import { ADHOC_NOTE, instanceRow, rowCells, table } from '../instance-format.js';
import { stdoutColors } from '../output.js';

export const LS_HEADER: readonly string[] = ['ID', 'NAMESPACE', 'STATUS', 'PID', 'CPU', 'MEM', 'UPTIME', 'RESTARTS', 'REASON'];

/** `ls`: every instance with its status, pid, CPU, memory, uptime and restarts. */
export function lsCommand(options: ProjectOptions & { readonly json?: boolean }): Promise<number> {
  return withClient(options, async (client, project) => {
    const now = Date.now();
    const rows = (await client.list()).map((info) => instanceRow(info, now));
    if (options.json) {
      process.stdout.write(`${JSON.stringify(rows)}\n`);
      return 0;
    }
    if (rows.length === 0) {
      process.stdout.write(`no apps in ${project}\n`);
      return 0;
    }
    const c = stdoutColors();
    process.stdout.write(table(LS_HEADER, rows.map((row) => rowCells(row, c)), c));
    if (rows.some((row) => row.adhoc)) process.stdout.write(`${c.dim(ADHOC_NOTE)}\n`);
    return 0;
  });
}
