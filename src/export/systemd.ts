import { hostCommand } from './command.js';
import { dnsName, overrideNotes, portVars, splitEnv } from './env.js';
import { collectNotes, commentBlock, noteLines } from './notes.js';
import { probeCommand, readinessProbe } from './probe.js';
import { environment, execLine, literal, renderUnit, timeSpan, type UnitEntry } from './unit.js';
import type { ExportApp, ExportFile, ExportInput, ExportResult, Untranslated } from './types.js';

const templated = (app: ExportApp): boolean => app.spec.instances > 1;

/** The unit another unit orders itself after: the app's own, or the target that groups its instances. */
export function unitName(app: ExportApp): string {
  return templated(app) ? `${dnsName(app.spec.name)}.target` : `${dnsName(app.spec.name)}.service`;
}

function readinessEntries(app: ExportApp, nodePath: string, notes: Untranslated[]): UnitEntry[] {
  const readiness = app.spec.readiness;
  const probe = readinessProbe(app, notes);
  if (!readiness || !probe) return [];
  const check = probeCommand(probe).replace(/^node /, `${nodePath} `);
  const pause = readiness.initialDelayMs > 0 ? `sleep ${readiness.initialDelayMs / 1000}; ` : '';
  const wait = `${pause}until ${check}; do sleep ${readiness.intervalMs / 1000}; done`;
  const budget = readiness.initialDelayMs + (readiness.retries > 0 ? readiness.retries * (readiness.intervalMs + readiness.timeoutMs) : 0);
  return [['ExecStartPost', execLine(['/bin/sh', '-c', wait])], ['TimeoutStartSec', readiness.retries > 0 ? timeSpan(budget + 5000) : 'infinity']];
}

function restartEntries(app: ExportApp): UnitEntry[] {
  const spec = app.spec;
  if (!spec.autorestart) return [['Restart', 'no']];
  return [
    ['Restart', 'always'],
    ['RestartSec', `${spec.restartDelayMs || spec.expBackoffRestartDelayMs || 100}ms`],
    ...(spec.stopExitCodes.length > 0 ? [['RestartPreventExitStatus', spec.stopExitCodes.join(' ')] as const] : []),
  ];
}

function serviceUnit(app: ExportApp, input: ExportInput, notes: Untranslated[]): string {
  const spec = app.spec;
  const byName = new Map(input.apps.map((other) => [other.spec.name, other]));
  const deps = spec.dependsOn.map((dep) => byName.get(dep.app)).filter((dep): dep is ExportApp => dep !== undefined).map(unitName);
  const env = { ...spec.env, ...portVars(app) };
  const split = splitEnv(app, env);
  notes.push(...overrideNotes(app, split.overridden, 'systemd'));
  const instanceEntries: UnitEntry[] = templated(app)
    ? [...new Set([spec.instanceVar, 'NODE_APP_INSTANCE'])].map((key) => ['Environment', environment(key, '%i', true)] as const)
    : [['Environment', environment(spec.instanceVar, '0')]];
  const unstable = Math.ceil(((spec.minUptimeMs + spec.restartDelayMs) * (spec.maxRestarts + 1)) / 1000);
  const written = (key: string): boolean => app.written.has(key);
  return renderUnit([], [
    {
      name: 'Unit',
      entries: [
        ['Description', literal(`${spec.name} (${input.project})${templated(app) ? ' instance %i' : ''}`).replace('%%i', '%i')],
        ['After', ['network.target', ...deps].join(' ')],
        ...(deps.length > 0 ? [['Requires', deps.join(' ')] as const] : []),
        ...(templated(app) ? [['PartOf', `${dnsName(spec.name)}.target`] as const] : []),
        ...(spec.autorestart ? [['StartLimitIntervalSec', `${Math.max(1, unstable)}s`] as const, ['StartLimitBurst', String(spec.maxRestarts + 1)] as const] : []),
      ],
    },
    {
      name: 'Service',
      entries: [
        ['Type', spec.autorestart ? 'simple' : 'oneshot'],
        ...(spec.autorestart ? [] : [['RemainAfterExit', 'yes'] as const]),
        ...(input.account ? [['User', input.account.user] as const, ['Group', input.account.group] as const] : []),
        ['WorkingDirectory', literal(spec.cwd)],
        ...app.envFiles.map((file) => ['EnvironmentFile', literal(file.path)] as const),
        ...Object.entries(split.inline).map(([key, value]) => ['Environment', environment(key, value)] as const),
        ...instanceEntries,
        ['ExecStart', execLine(hostCommand(spec, input.nodePath))],
        ...readinessEntries(app, input.nodePath, notes),
        ...restartEntries(app),
        ['KillSignal', spec.killSignal],
        ['TimeoutStopSec', timeSpan(spec.killTimeoutMs)],
        ...(spec.maxMemoryBytes !== undefined ? [['MemoryMax', String(spec.maxMemoryBytes)] as const] : []),
        ...(written('out_file') && spec.logs.outFile ? [['StandardOutput', `append:${literal(spec.logs.outFile)}`] as const] : []),
        ...(written('error_file') && spec.logs.errorFile ? [['StandardError', `append:${literal(spec.logs.errorFile)}`] as const] : []),
      ],
    },
    { name: 'Install', entries: spec.autostart && !templated(app) ? [['WantedBy', 'multi-user.target']] : [] },
  ]);
}

/** The target that starts every instance of a templated app. */
function instancesTarget(app: ExportApp, input: ExportInput): string {
  const name = dnsName(app.spec.name);
  const instances = Array.from({ length: app.spec.instances }, (_, i) => `${name}@${i}.service`).join(' ');
  return renderUnit([], [
    { name: 'Unit', entries: [['Description', literal(`${app.spec.name} (${input.project}), ${app.spec.instances} instances`)], ['Wants', instances], ['After', instances]] },
    { name: 'Install', entries: app.spec.autostart ? [['WantedBy', 'multi-user.target']] : [] },
  ]);
}

/** A unit per app (a template unit and a target for several instances), each headed by what of its app did not translate. */
export function exportSystemd(input: ExportInput): ExportResult {
  const extra: Untranslated[] = [];
  const files: ExportFile[] = input.apps.flatMap((app) => {
    const name = dnsName(app.spec.name);
    const service = { name: templated(app) ? `${name}@.service` : `${name}.service`, text: serviceUnit(app, input, extra) };
    return templated(app) ? [service, { name: `${name}.target`, text: instancesTarget(app, input) }] : [service];
  });
  const untranslated = collectNotes(input.apps, 'systemd', extra);
  const install = `Install: copy the files to /etc/systemd/system, then: systemctl daemon-reload && systemctl enable --now ${input.apps.map(unitName).join(' ')}`;
  const withNotes = files.map((file) => {
    const app = file.name.replace(/(@)?\.(service|target)$/, '');
    const own = untranslated.filter((note) => dnsName(note.app) === app);
    const head = file.name.endsWith('.target') ? [`Starts every instance of ${app}@.service.`] : noteLines('systemd', own);
    return { name: file.name, text: `${commentBlock([...head, install])}\n${file.text}` };
  });
  return { ok: true, files: withNotes, untranslated };
}
