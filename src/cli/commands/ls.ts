import type { InstanceInfo } from '../../model/events.js';
import { withClient, type ProjectOptions } from '../control-target.js';
import { ADHOC_NOTE, instanceRow, rowCells, table, type InstanceRow } from '../instance-format.js';
import { columnKey, NO_VIEWS, type PluginColumnView } from '../../model/plugin.js';
import { cutRows } from '../../tui/cells.js';
import { stdoutColors } from '../output.js';

export const LS_HEADER: readonly string[] = ['ID', 'NAMESPACE', 'STATUS', 'PID', 'CPU', 'MEM', 'UPTIME', 'RESTARTS', 'REASON'];

/** `ls`: every instance with its status, pid, CPU, memory, uptime and restarts. */
export function lsCommand(options: ProjectOptions & { readonly json?: boolean; readonly node?: string }): Promise<number> {
  if (options.node !== undefined) return lsNodes(options, options.node);
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
    const plugin = rows.some((row) => row.columns !== undefined) ? ((await client.views().catch(() => NO_VIEWS)).columns) : [];
    process.stdout.write(table(withPluginColumns(LS_HEADER, plugin.map((column) => column.header)), rows.map((row) => withPluginColumns(rowCells(row, c), pluginCells(row, plugin))), c));
    if (rows.some((row) => row.adhoc)) process.stdout.write(`${c.dim(ADHOC_NOTE)}\n`);
    return 0;
  });
}

/** Plugin columns go before REASON, the last column (it is not padded). */
function withPluginColumns(cells: readonly string[], extra: readonly string[]): readonly string[] {
  return extra.length === 0 ? cells : [...cells.slice(0, -1), ...extra, ...cells.slice(-1)];
}

/** A row's plugin values, each cut to its column's width as the view cuts them. */
function pluginCells(row: InstanceRow, columns: readonly PluginColumnView[]): readonly string[] {
  return columns.map((column) => cutRows(row.columns?.[columnKey(column.plugin, column.id)] ?? '', { first: column.width, next: column.width, maxRows: 1 })[0] ?? '');
}

interface NodeList {
  readonly node: string;
  readonly ok: boolean;
  readonly instances: readonly InstanceInfo[];
  readonly error?: string;
}

/** `ls --node <name|all>`: the instances of other nodes, as the federation plugin of this supervisor reads them. */
function lsNodes(options: ProjectOptions & { readonly json?: boolean }, node: string): Promise<number> {
  return withClient(options, async (client) => {
    const lists = (await client.callPlugin('federation', 'list', { node })) as readonly NodeList[];
    const now = Date.now();
    const rows = lists.flatMap((list) => list.instances.map((info) => ({ node: list.node, ...instanceRow(info, now) })));
    const c = stdoutColors();
    if (options.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else process.stdout.write(table(['NODE', ...LS_HEADER], rows.map((row) => [row.node, ...rowCells(row, c)]), c));
    for (const list of lists) if (!list.ok) process.stderr.write(`${c.yellow('warning')} node "${list.node}": ${list.error ?? 'unavailable'}\n`);
    return lists.every((list) => list.ok) ? 0 : 1;
  });
}
