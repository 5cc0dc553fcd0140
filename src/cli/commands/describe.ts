import type { InstanceDetail } from '../../model/controller.js';
import { printError, withClient, type ProjectOptions } from '../control-target.js';
import { instanceRow, paintStatus, type InstanceRow } from '../instance-format.js';
import { stdoutColors, type Palette } from '../output.js';
import { formatBytes, formatDuration } from '../../util/units.js';

const show = (value: unknown): string => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

function section(detail: InstanceDetail, row: InstanceRow, c: Palette): string {
  const { spec } = detail;
  const pairs: readonly (readonly [string, string])[] = [
    ['status', paintStatus(c, row.status) + (row.reason ? ` — ${row.reason}` : '')],
    ['pid', row.pid === null ? '—' : String(row.pid)],
    ['uptime', row.uptime === null ? '—' : formatDuration(row.uptime)],
    ['restarts', String(row.restarts)],
    ['cpu', row.cpu === null ? '—' : `${row.cpu.toFixed(1)}%`],
    ['memory', row.memory === null ? '—' : formatBytes(row.memory)],
    ['namespace', spec.namespace],
    ['script', spec.script],
    ['args', spec.args.join(' ') || '—'],
    ['interpreter', show(spec.interpreter)],
    ['cwd', spec.cwd],
    ['exec mode', spec.execMode],
    ['instances', String(spec.instances)],
    ['autorestart', String(spec.autorestart)],
    ['depends on', spec.dependsOn.map((d) => `${d.app} (${d.condition})`).join(', ') || '—'],
    ['out log', show(spec.logs.outFile ?? undefined)],
    ['error log', show(spec.logs.errorFile ?? undefined)],
    ['env', Object.keys(spec.env).sort().join(', ') || '—'],
  ];
  const width = Math.max(...pairs.map(([key]) => key.length));
  return [c.bold(row.id), ...pairs.map(([key, value]) => `  ${c.gray(key.padEnd(width))}  ${value}`)].join('\n');
}

/** `describe`: status and the resolved spec of each instance of the target. */
export function describeCommand(target: string, options: ProjectOptions & { readonly json?: boolean }): Promise<number> {
  return withClient(options, async (client) => {
    const result = await client.describe(target);
    if (!result.ok) {
      if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else printError(result.message);
      return 1;
    }
    const now = Date.now();
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result.instances.map((detail) => ({ ...instanceRow(detail.info, now), spec: detail.spec })))}\n`);
      return 0;
    }
    const c = stdoutColors();
    process.stdout.write(`${result.instances.map((detail) => section(detail, instanceRow(detail.info, now), c)).join('\n\n')}\n`);
    return 0;
  });
}
