import type { EnvSource } from '../../model/app.js';
import { assertNever } from '../../model/assert.js';
import type { InstanceDetail } from '../../model/controller.js';
import { printError, withClient, type ProjectOptions } from '../control-target.js';
import { instanceRow, paintStatus, type InstanceRow } from '../instance-format.js';
import { stdoutColors, type Palette } from '../output.js';
import { formatBytes, formatDuration } from '../../util/units.js';

const show = (value: unknown): string => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

export function section(detail: InstanceDetail, row: InstanceRow, c: Palette): string {
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
  ];
  const width = Math.max(...pairs.map(([key]) => key.length));
  return [c.bold(row.id), ...pairs.map(([key, value]) => `  ${c.gray(key.padEnd(width))}  ${value}`), ...envLines(detail, c)].join('\n');
}

export function describeEnvSource(source: EnvSource): string {
  switch (source.kind) {
    case 'env_file':
      return `env_file ${source.file}`;
    case 'deploy':
      return `deploy env_${source.profile}`;
    case 'env':
      return 'env';
    case 'profile':
      return `env_${source.profile}`;
    case 'port':
      return 'port';
    case 'inherited':
      return 'inherited';
    case 'ports':
      return 'ports';
    case 'instance':
      return 'instance variable';
    case 'node-unit':
      return 'node-unit';
    default:
      return assertNever(source, 'env source');
  }
}

/** Each variable with where it came from; the inherited ones only counted (the supervisor's whole environment). */
function envLines(detail: InstanceDetail, c: Palette): readonly string[] {
  const sources = detail.env ?? detail.spec.envSources;
  const names = Object.keys(sources).sort();
  const own = names.filter((name) => sources[name]?.kind !== 'inherited');
  const inherited = names.length - own.length;
  const width = Math.max(0, ...own.map((name) => name.length));
  const lines = own.map((name) => `    ${name.padEnd(width)}  ${c.gray(describeEnvSource(sources[name] ?? { kind: 'env' }))}`);
  const title = detail.env ? 'env (at the latest start)' : 'env (not started yet)';
  return [`  ${c.gray(title)}`, ...lines, ...(inherited > 0 ? [`    ${c.gray(`+ ${inherited} inherited from the supervisor's environment`)}`] : []), ...(names.length === 0 ? ['    —'] : [])];
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
      process.stdout.write(`${JSON.stringify(result.instances.map((detail) => ({ ...instanceRow(detail.info, now), spec: detail.spec, env: detail.env ?? null })))}\n`);
      return 0;
    }
    const c = stdoutColors();
    process.stdout.write(`${result.instances.map((detail) => section(detail, instanceRow(detail.info, now), c)).join('\n\n')}\n`);
    return 0;
  });
}
