import { assertNever } from '../model/assert.js';
import type { InstanceInfo } from '../model/events.js';
import type { ProcessState, ProcessStatus } from '../model/state.js';
import { formatBytes, formatDuration } from '../util/units.js';
import type { Palette } from './output.js';

/** The stable JSON shape of one instance in `ls --json` (documented in README). */
export interface InstanceRow {
  readonly id: string;
  readonly app: string;
  readonly index: number;
  readonly namespace: string;
  readonly status: ProcessStatus;
  readonly pid: number | null;
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly uptime: number | null;
  readonly restarts: number;
  readonly reason: string | null;
  readonly state: ProcessState;
  /** Present (true) when the app was added with `node-unit start <script>`, not by the ecosystem file. */
  readonly adhoc?: true;
  /** Plugin columns' values by `<plugin>/<column id>`, when a plugin declares columns. */
  readonly columns?: Readonly<Record<string, string>>;
}

function pidOf(state: ProcessState): number | undefined {
  return state.status === 'online' || state.status === 'stopping' || state.status === 'starting' ? state.pid : undefined;
}

function uptimeOf(state: ProcessState, now: number): number | undefined {
  return state.status === 'online' || state.status === 'stopping' || state.status === 'starting' ? Math.max(0, now - state.since) : undefined;
}

/** Why an instance is where it is, when that is worth a column. */
export function reasonOf(info: InstanceInfo, now = Date.now()): string | undefined {
  const { state } = info;
  switch (state.status) {
    case 'pending':
    case 'errored':
      return state.reason;
    case 'backoff': {
      const why = state.signal ? `killed by ${state.signal}` : `exited with code ${state.code ?? '?'}`;
      return `${why}; restarting in ${formatDuration(Math.max(0, state.retryAt - now))}`;
    }
    case 'exited':
      return state.signal ? `killed by ${state.signal}` : `exited with code ${state.code ?? '?'}`;
    case 'starting':
    case 'online':
    case 'stopping':
      return info.note;
    case 'stopped':
      // Only a failure to stop is news once stopped; older notes describe a run that is over.
      return info.note?.startsWith('did not stop') ? info.note : undefined;
    default:
      return assertNever(state, 'state');
  }
}

export function instanceRow(info: InstanceInfo, now = Date.now()): InstanceRow {
  const { state } = info;
  const pid = pidOf(state);
  return {
    id: info.id,
    app: info.app,
    index: info.index,
    namespace: info.namespace,
    status: state.status,
    pid: pid ?? null,
    // The last sample of a process that has ended says nothing about now.
    cpu: pid === undefined ? null : (info.cpu ?? null),
    memory: pid === undefined ? null : (info.memory ?? null),
    uptime: uptimeOf(state, now) ?? null,
    restarts: state.restarts,
    reason: reasonOf(info, now) ?? null,
    state,
    ...(info.adhoc ? { adhoc: true as const } : {}),
    ...(info.columns ? { columns: info.columns } : {}),
  };
}

/** The note under `ls` when some apps came from the command line rather than a file (their ids carry a *). */
export const ADHOC_NOTE = "* started from the command line ('up app.js', 'start app.js'), not from an ecosystem file: 'node-unit init --from-running' writes one";

export function paintStatus(c: Palette, status: ProcessStatus): string {
  switch (status) {
    case 'online':
      return c.green(status);
    case 'starting':
    case 'stopping':
      return c.cyan(status);
    case 'pending':
    case 'backoff':
      return c.yellow(status);
    case 'exited':
    case 'errored':
      return c.red(status);
    case 'stopped':
      return c.gray(status);
    default:
      return assertNever(status, 'status');
  }
}

/** Cells of one `ls` row, in column order. */
export function rowCells(row: InstanceRow, c: Palette): readonly string[] {
  const dash = c.gray('—');
  return [
    row.adhoc ? `${c.bold(row.id)} *` : c.bold(row.id),
    row.namespace,
    paintStatus(c, row.status),
    row.pid === null ? dash : String(row.pid),
    row.cpu === null ? dash : `${row.cpu.toFixed(0)}%`,
    row.memory === null ? dash : formatBytes(row.memory),
    row.uptime === null ? dash : formatDuration(row.uptime),
    row.restarts > 0 ? c.yellow(String(row.restarts)) : '0',
    row.reason ?? '',
  ];
}

const ANSI = /\x1b\[[0-9;]*m/g;
const visibleWidth = (text: string): number => text.replace(ANSI, '').length;

/** Columns padded to their widest visible cell (colour codes do not count); the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], c: Palette): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => visibleWidth(row[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell)))).join('  ').trimEnd();
  return [c.dim(line(header)), ...rows.map(line)].join('\n') + '\n';
}
