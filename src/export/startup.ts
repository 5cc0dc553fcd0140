import type { AppSpec } from '../model/app.js';
import { stopLevels } from '../plan/plan.js';
import { environment, execLine, literal, renderUnit, timeSpan } from './unit.js';

export type StartupScope = 'user' | 'system';

export interface StartupInput {
  readonly scope: StartupScope;
  /** The account the supervisor runs as (system units only; a user unit runs as its owner). */
  readonly user: string;
  readonly group: string;
  readonly configFile: string;
  readonly configDir: string;
  readonly nodePath: string;
  readonly cliPath: string;
  /** PATH and the other variables the supervisor should see, as the shell that ran `startup` had them. */
  readonly env: Readonly<Record<string, string>>;
  readonly profile: string | undefined;
  readonly apps: readonly AppSpec[];
}

/** Time for a whole stop: levels of dependents stop one after another, each within its largest kill_timeout. */
export function stopBudgetMs(apps: readonly AppSpec[]): number {
  return stopLevels(apps).reduce((sum, level) => sum + Math.max(0, ...level.map((app) => app.killTimeoutMs)), 0);
}

/** The slack systemd gives the supervisor on top of its apps' kill timeouts, before it kills the lot. */
const STOP_SLACK_MS = 10_000;

/** The unit's file name: one per project folder. */
export function startupUnitName(configDir: string): string {
  const base = configDir.split('/').filter(Boolean).pop() ?? 'project';
  return `node-unit-${base.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-') || 'project'}.service`;
}

/** A unit that runs `node-unit up --no-tui` for one project at boot (system) or login (user). */
export function startupUnit(input: StartupInput): string {
  const command = [input.nodePath, input.cliPath, 'up', '--no-tui', '--config', input.configFile, ...(input.profile ? ['--env', input.profile] : [])];
  const system = input.scope === 'system';
  return renderUnit(
    [`Written by \`node-unit startup --${input.scope}\`; \`node-unit unstartup --${input.scope}\` removes it.`, `Runs the apps of ${input.configFile}.`],
    [
      {
        name: 'Unit',
        entries: [
          ['Description', literal(`node-unit: ${input.configFile}`)],
          ['After', 'network-online.target'],
          ['Wants', 'network-online.target'],
          ['StartLimitIntervalSec', '60s'],
          ['StartLimitBurst', '5'],
        ],
      },
      {
        name: 'Service',
        entries: [
          ['Type', 'simple'],
          ...(system ? [['User', input.user] as const, ['Group', input.group] as const] : []),
          ['WorkingDirectory', literal(input.configDir)],
          ...Object.entries(input.env).map(([key, value]) => ['Environment', environment(key, value)] as const),
          ['ExecStart', execLine(command)],
          // node-unit stops its apps itself, dependents first, each with its own signal and kill_timeout:
          // systemd signals only the supervisor, and kills what is left only once the timeout is over.
          ['KillMode', 'mixed'],
          ['KillSignal', 'SIGTERM'],
          ['TimeoutStopSec', timeSpan(stopBudgetMs(input.apps) + STOP_SLACK_MS)],
          ['Restart', 'on-failure'],
          ['RestartSec', '2s'],
        ],
      },
      { name: 'Install', entries: [['WantedBy', system ? 'multi-user.target' : 'default.target']] },
    ],
  );
}
