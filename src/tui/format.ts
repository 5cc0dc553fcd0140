import type { InstanceInfo } from '../model/events.js';
import type { ProcessStatus } from '../model/state.js';
import { assertNever } from '../model/assert.js';
import { formatBytes, formatDuration } from '../util/units.js';

export type Color = 'green' | 'red' | 'yellow' | 'cyan' | 'blue' | 'magenta' | 'gray' | 'white';

export function statusColor(status: ProcessStatus): Color {
  switch (status) {
    case 'online':
      return 'green';
    case 'starting':
    case 'stopping':
      return 'cyan';
    case 'pending':
      return 'blue';
    case 'backoff':
      return 'yellow';
    case 'errored':
      return 'red';
    case 'exited':
    case 'stopped':
      return 'gray';
    default:
      return assertNever(status, 'status');
  }
}

const NAME_COLORS: readonly Color[] = ['cyan', 'yellow', 'green', 'magenta', 'blue'];

/** A stable colour per app, in the order the apps are listed. */
export function appColor(apps: readonly string[], app: string): Color {
  return NAME_COLORS[Math.max(0, apps.indexOf(app)) % NAME_COLORS.length] ?? 'cyan';
}

/** What an app's readiness is checked with ('http', 'tcp', …), null for no check; undefined while unknown. */
export type ReadinessKind = string | null | undefined;

/** Readiness, or why an instance waits, failed or stopped: the last column of the table. */
export function describeInfo(info: InstanceInfo, now: number, readiness?: ReadinessKind): string {
  const { state } = info;
  switch (state.status) {
    case 'pending':
      return state.reason;
    case 'starting':
      return info.note ?? (readiness ? `starting; waiting for ${readiness} check` : 'starting');
    case 'online':
      return info.note ?? (readiness === undefined ? 'online' : readiness === null ? 'up (no check)' : `ready ✓ ${readiness}`);
    case 'stopping':
      return state.forced ? 'killing' : 'stopping';
    case 'backoff': {
      const why = state.signal ? `killed by ${state.signal}` : `exit ${state.code ?? '?'}`;
      return `${why}; retry in ${formatDuration(Math.max(0, state.retryAt - now))}`;
    }
    case 'exited':
      return state.signal ? `killed by ${state.signal}` : `exit code ${state.code ?? '?'}`;
    case 'errored':
      return state.reason;
    case 'stopped':
      return info.note ?? '';
    default:
      return assertNever(state, 'state');
  }
}

/** A change of state as the log pane tells it; undefined for changes not worth a line. */
export function lifecycleText(info: InstanceInfo, now: number): string | undefined {
  const { state } = info;
  switch (state.status) {
    case 'pending':
      return `waiting: ${state.reason}`;
    case 'starting':
      // Told once its process exists: an instance queued to spawn is not worth a line of its own.
      return state.pid === undefined ? undefined : `starting (pid ${state.pid})${state.restarts > 0 ? `, restart ${state.restarts}` : ''}`;
    case 'online':
      return `online (pid ${state.pid})${info.note ? ` — ${info.note}` : ''}`;
    case 'stopping':
      return state.forced ? 'killing' : 'stopping';
    case 'backoff': {
      const why = state.signal ? `killed by ${state.signal}` : `exited with code ${state.code ?? '?'}`;
      return `${why}; restarting in ${Math.max(0, state.retryAt - now)} ms`;
    }
    case 'exited':
      return state.signal ? `killed by ${state.signal}` : `exited with code ${state.code ?? '?'}`;
    case 'errored':
      return `errored: ${state.reason}`;
    case 'stopped':
      return `stopped${info.note ? ` — ${info.note}` : ''}`;
    default:
      return assertNever(state, 'state');
  }
}

export function pidOf(info: InstanceInfo): number | undefined {
  const { state } = info;
  return state.status === 'online' || state.status === 'stopping' || state.status === 'starting' ? state.pid : undefined;
}

/**
 * An uptime as the table and the header show it: seconds in the first minute, then minutes (`12m`, `3h 5m`,
 * `2d 4h`), as pm2 shows them. After its first minute the text changes once a minute, so a screen of idle
 * apps needs no frame a second.
 */
export function formatAge(ms: number): string {
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  return seconds < 60 ? `${seconds}s` : formatDuration(Math.floor(seconds / 60) * 60_000);
}

export function uptimeOf(info: InstanceInfo, now: number): string {
  const { state } = info;
  return state.status === 'online' || state.status === 'starting' ? formatAge(now - state.since) : '';
}

export function isRunning(status: ProcessStatus): boolean {
  return status === 'online' || status === 'starting' || status === 'pending' || status === 'backoff';
}

export const formatCpu = (cpu: number | undefined): string => (cpu === undefined ? '' : `${cpu.toFixed(cpu >= 100 ? 0 : 1)}%`);
export const formatMemory = (bytes: number | undefined): string => (bytes === undefined ? '' : formatBytes(bytes));

/**
 * Every text the header and the table draw from the clock and the metrics (uptimes, countdowns, CPU and
 * memory, their totals, and plugin column values, which samples carry too), as one string. A frame for a
 * tick or a metrics sample is worth drawing only when this changed: with idle apps, most samples change no
 * figure on the screen.
 */
export function liveTexts(instances: readonly InstanceInfo[], now: number, startedAt: number | undefined): string {
  let text = startedAt === undefined ? '' : formatAge(now - startedAt);
  let cpu = 0;
  let memory = 0;
  for (const info of instances) {
    const countdown = info.state.status === 'backoff' ? describeInfo(info, now) : '';
    text += `\n${uptimeOf(info, now)} ${countdown} ${formatCpu(info.cpu)} ${formatMemory(info.memory)}`;
    if (info.columns) text += ` ${Object.values(info.columns).join('\t')}`;
    cpu += info.cpu ?? 0;
    memory += info.memory ?? 0;
  }
  return `${text}\n${formatCpu(cpu)} ${formatMemory(memory)}`;
}

/** Cuts text to width with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** The target for an instance on its own node: the app name when it has one instance there, else `app:index`. */
export function targetOf(info: InstanceInfo, all: readonly InstanceInfo[]): string {
  return all.filter((other) => other.app === info.app && other.node === info.node).length > 1 ? `${info.app}:${info.index}` : info.app;
}
