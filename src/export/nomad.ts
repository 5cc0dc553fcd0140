import { containerCommand, containerCwd, type Placement } from './command.js';
import { containerEnv, dnsName, overrideNotes, splitEnv } from './env.js';
import { block, renderHcl, renderHclJson, type HclBlock, type HclValue } from './hcl.js';
import { chooseImages } from './image.js';
import { collectNotes, commentBlock, noteLines } from './notes.js';
import { durationText, readinessProbe, type Probe } from './probe.js';
import type { ExportApp, ExportInput, ExportResult, Untranslated } from './types.js';

const label = (variable: string): string => dnsName(variable.replace(/_PORT$/, '')).replace(/-/g, '_') || 'port';

interface PortPlan {
  readonly label: string;
  readonly variable: string | undefined;
  /** undefined: a dynamic port. */
  readonly port: number | undefined;
}

function portPlans(app: ExportApp, probe: Probe | undefined): PortPlan[] {
  const plans: PortPlan[] = Object.entries(app.spec.ports).map(([variable, port]) => ({ label: label(variable), variable, port: port > 0 ? port : undefined }));
  const probePort = probe && probe.kind !== 'exec' ? probe.port : undefined;
  if (probePort !== undefined && !plans.some((plan) => plan.port === probePort)) plans.push({ label: 'readiness', variable: undefined, port: probePort });
  return plans;
}

/**
 * Nomad refuses a job whose timings are below its floors (`nomad job validate`): a shorter value is raised to
 * the floor, and the user is told.
 */
const FLOOR_MS = { checkInterval: 1000, checkTimeout: 1000, rescheduleDelay: 5000 } as const;
/** node-unit's (and pm2's) ceiling on the exponential restart delay. */
const BACKOFF_CEILING_MS = 15_000;

function atLeast(app: ExportApp, key: string, what: string, ms: number, floorMs: number, notes: Untranslated[]): string {
  if (ms >= floorMs) return durationText(ms);
  notes.push({ app: app.spec.name, key, advice: `Nomad's shortest ${what} is ${durationText(floorMs)}: ${durationText(ms)} is written as ${durationText(floorMs)}` });
  return durationText(floorMs);
}

function restartBlocks(app: ExportApp, notes: Untranslated[]): HclBlock[] {
  const spec = app.spec;
  if (!spec.autorestart) return [block('restart', [], [['attempts', 0], ['mode', 'fail']]), block('reschedule', [], [['attempts', 0], ['unlimited', false]])];
  const interval = Math.max(5000, (spec.minUptimeMs + spec.restartDelayMs) * (spec.maxRestarts + 1), spec.maxRestarts * spec.restartDelayMs + 1000);
  const restart = block('restart', [], [['attempts', spec.maxRestarts], ['interval', durationText(interval)], ['delay', durationText(spec.restartDelayMs)], ['mode', 'fail']]);
  const backoff = spec.expBackoffRestartDelayMs;
  if (backoff === undefined) return [restart];
  const delay = atLeast(app, 'exp_backoff_restart_delay', 'reschedule delay', backoff, FLOOR_MS.rescheduleDelay, notes);
  const maxDelay = durationText(Math.max(BACKOFF_CEILING_MS, backoff, FLOOR_MS.rescheduleDelay));
  return [restart, block('reschedule', [], [['delay', delay], ['delay_function', 'exponential'], ['max_delay', maxDelay], ['unlimited', true]])];
}

function checkBlock(app: ExportApp, probe: Probe, notes: Untranslated[]): HclBlock {
  const readiness = app.spec.readiness;
  const timing: [string, HclValue][] = readiness
    ? [
        ['interval', atLeast(app, 'readiness', 'check interval', readiness.intervalMs, FLOOR_MS.checkInterval, notes)],
        ['timeout', atLeast(app, 'readiness', 'check timeout', readiness.timeoutMs, FLOOR_MS.checkTimeout, notes)],
      ]
    : [];
  const restart = readiness && readiness.retries > 0 ? [block('check_restart', [], [['limit', readiness.retries], ['grace', durationText(readiness.initialDelayMs)]])] : [];
  switch (probe.kind) {
    case 'http':
      return block('check', [], [['type', 'http'], ['protocol', probe.scheme], ['path', probe.path], ...timing], restart);
    case 'tcp':
      return block('check', [], [['type', 'tcp'], ...timing], restart);
    case 'exec':
      return block('check', [], [['type', 'script'], ['task', app.spec.name], ['command', '/bin/sh'], ['args', ['-c', probe.command]], ...timing], restart);
  }
}

function serviceBlock(app: ExportApp, probe: Probe | undefined, ports: readonly PortPlan[], notes: Untranslated[]): HclBlock[] {
  if (ports.length === 0 && !probe) return [];
  const probePort = probe && probe.kind !== 'exec' ? ports.find((plan) => plan.port === probe.port) : undefined;
  const port = probePort ?? ports[0];
  return [
    block('service', [], [['name', dnsName(app.spec.name)], ['provider', probe?.kind === 'exec' ? 'consul' : 'nomad'], ['port', port?.label]], probe ? [checkBlock(app, probe, notes)] : []),
  ];
}

function constraints(node: string | undefined): HclBlock[] {
  if (node === undefined || node === 'all') return [];
  if (!node.includes('=')) return [block('constraint', [], [['attribute', { interpolated: '${node.unique.name}' }], ['value', node]])];
  return node.split(',').map((pair) => {
    const [key = '', value = ''] = pair.split('=').map((part) => part.trim());
    return block('constraint', [], [['attribute', { interpolated: `\${meta.${key}}` }], ['value', value]]);
  });
}

function envFileTemplates(app: ExportApp): HclBlock[] {
  return app.envFiles.map((file, i) => {
    const data = Object.entries(file.vars).map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join('\n');
    // The data is a Go template: values that hold {{ get delimiters they cannot contain.
    const delimiters: [string, HclValue][] = data.includes('{{') || data.includes('}}') ? [['left_delimiter', '[[nu:'], ['right_delimiter', ':nu]]']] : [];
    return block('template', [], [['data', `${data}\n`], ['destination', `local/env-file-${i}.env`], ['env', true], ...delimiters]);
  });
}

function taskEnv(app: ExportApp, place: Placement, ports: readonly PortPlan[], notes: Untranslated[]): HclBlock[] {
  const env = containerEnv(app, place);
  const split = splitEnv(app, env);
  notes.push(...overrideNotes(app, split.overridden, 'a Nomad template with env = true'));
  const entries: [string, HclValue][] = Object.entries(split.inline);
  for (const plan of ports) if (plan.variable && plan.port === undefined) entries.push([plan.variable, { interpolated: `\${NOMAD_PORT_${plan.label}}` }]);
  if (app.spec.instances > 1) for (const key of new Set([app.spec.instanceVar, 'NODE_APP_INSTANCE'])) entries.push([key, { interpolated: '${NOMAD_ALLOC_INDEX}' }]);
  return entries.length > 0 ? [block('env', [], entries)] : [];
}

function groupBlock(app: ExportApp, input: ExportInput, image: string, notes: Untranslated[]): HclBlock {
  const spec = app.spec;
  const probe = readinessProbe(app, notes);
  const ports = portPlans(app, probe);
  const [command, ...args] = containerCommand(spec, input);
  // Several allocations may share a client: a fixed port then maps from a host port Nomad picks.
  const portSettings = (plan: PortPlan): [string, HclValue][] => (plan.port === undefined ? [] : spec.instances > 1 ? [['to', plan.port]] : [['static', plan.port], ['to', plan.port]]);
  const network = ports.length > 0 ? [block('network', [], [], ports.map((plan) => block('port', [plan.label], portSettings(plan))))] : [];
  const logs = app.written.has('log_max_size') || app.written.has('log_max_files')
    ? [block('logs', [], [['max_files', spec.logs.maxFiles], ['max_file_size', spec.logs.maxSizeBytes === undefined ? undefined : Math.max(1, Math.ceil(spec.logs.maxSizeBytes / 1024 ** 2))]])]
    : [];
  const task = block(
    'task',
    [spec.name],
    [['driver', 'docker'], ['kill_timeout', durationText(spec.killTimeoutMs)], ['kill_signal', spec.killSignal]],
    [
      block('config', [], [['image', image], ['command', command], ['args', args], ['work_dir', containerCwd(spec, input, notes)], ['ports', ports.length > 0 ? ports.map((plan) => plan.label) : undefined]]),
      ...taskEnv(app, input, ports, notes),
      ...envFileTemplates(app),
      ...(spec.maxMemoryBytes !== undefined ? [block('resources', [], [['memory', Math.ceil(spec.maxMemoryBytes / 1024 ** 2)]])] : []),
      ...logs,
    ],
  );
  return block(
    'group',
    [spec.name],
    [['count', spec.autostart ? spec.instances : 0]],
    [...constraints(spec.node), ...restartBlocks(app, notes), ...network, ...serviceBlock(app, probe, ports, notes), ...(spec.namespace === 'default' ? [] : [block('meta', [], [['namespace', spec.namespace]])]), task],
  );
}

/** One Nomad job, a group per app; HCL, or HCL's JSON syntax with `json`. */
export function exportNomad(input: ExportInput): ExportResult {
  const images = chooseImages(input);
  if (!images.ok) return images;
  const extra: Untranslated[] = [];
  const groups = input.apps.map((app) => groupBlock(app, input, images.images.get(app.spec.name) ?? '', extra));
  const job = block('job', [dnsName(input.project)], [['type', 'service'], ['datacenters', ['*']]], groups);
  const untranslated = collectNotes(input.apps, 'nomad', extra);
  const notes = noteLines('nomad', untranslated);
  const name = dnsName(input.project);
  const file = input.json
    ? { name: `${name}.nomad.json`, text: renderHclJson(job, notes.join('\n')) }
    : { name: `${name}.nomad.hcl`, text: `${commentBlock(notes)}\n${renderHcl(job)}\n` };
  return { ok: true, files: [file], untranslated };
}
