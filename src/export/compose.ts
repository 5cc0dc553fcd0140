import { containerCommand, containerCwd } from './command.js';
import { containerEnv, dnsName } from './env.js';
import { chooseImages } from './image.js';
import { collectNotes, commentBlock, noteLines } from './notes.js';
import { durationText, probeCommand, readinessProbe } from './probe.js';
import { restartsOnFailureOnly } from './table.js';
import type { DependencyCondition } from '../model/app.js';
import type { ExportApp, ExportInput, ExportResult, Untranslated } from './types.js';
import { yamlText } from './yaml.js';

type Doc = Readonly<Record<string, unknown>>;

function healthcheck(app: ExportApp, notes: Untranslated[]): Doc {
  const readiness = app.spec.readiness;
  const probe = readinessProbe(app, notes);
  if (!readiness || !probe) return {};
  return {
    healthcheck: {
      test: ['CMD-SHELL', probeCommand(probe)],
      interval: durationText(readiness.intervalMs),
      timeout: durationText(readiness.timeoutMs),
      ...(readiness.retries > 0 ? { retries: readiness.retries } : {}),
      start_period: durationText(readiness.initialDelayMs),
    },
  };
}

/** A dependency on an app without a healthcheck can only wait for it to start. */
function condition(wanted: DependencyCondition, dependency: ExportApp | undefined): string {
  if (wanted === 'completed') return 'service_completed_successfully';
  if (wanted === 'ready' && dependency?.spec.readiness && dependency.spec.readiness.check.kind !== 'log') return 'service_healthy';
  return 'service_started';
}

function restart(app: ExportApp): { restart: string; condition: 'none' | 'on-failure' | 'any' } {
  if (!app.spec.autorestart) return { restart: 'no', condition: 'none' };
  return restartsOnFailureOnly(app) ? { restart: 'on-failure', condition: 'on-failure' } : { restart: 'unless-stopped', condition: 'any' };
}

function service(app: ExportApp, input: ExportInput, image: string, notes: Untranslated[]): Doc {
  const spec = app.spec;
  const policy = restart(app);
  const dependsOn = Object.fromEntries(
    spec.dependsOn.map((dep) => [dnsName(dep.app), { condition: condition(dep.condition, input.apps.find((a) => a.spec.name === dep.app)) }]),
  );
  const ports = Object.values(spec.ports).filter((port) => port > 0);
  const memory = spec.maxMemoryBytes;
  return {
    image,
    init: true,
    working_dir: containerCwd(spec, input, notes),
    command: [...containerCommand(spec, input)],
    environment: containerEnv(app, input),
    ...(ports.length > 0 ? (spec.instances === 1 ? { ports: ports.map((p) => `${p}:${p}`) } : { expose: ports.map(String) }) : {}),
    ...healthcheck(app, notes),
    ...(spec.dependsOn.length > 0 ? { depends_on: dependsOn } : {}),
    restart: policy.restart,
    stop_signal: spec.killSignal,
    stop_grace_period: durationText(spec.killTimeoutMs),
    labels: { 'node-unit.namespace': spec.namespace, 'node-unit.app': spec.name },
    ...(spec.autostart ? {} : { profiles: ['manual'] }),
    deploy: {
      replicas: spec.instances,
      restart_policy: {
        condition: policy.condition,
        delay: durationText(spec.restartDelayMs),
        // The daemon refuses a retry count with any other policy than on-failure (`docker compose up` fails).
        ...(policy.condition === 'on-failure' ? { max_attempts: spec.maxRestarts } : {}),
        window: durationText(spec.minUptimeMs),
      },
      ...(memory !== undefined ? { resources: { limits: { memory: `${Math.ceil(memory / 1024 ** 2)}M` } } } : {}),
    },
  };
}

/** Compose substitutes `$VAR` and `${VAR}` in every value: a `$` the app should see is written `$$`. */
function literalDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$');
  if (Array.isArray(value)) return value.map(literalDollars);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, literalDollars(v)]));
  return value;
}

/** A compose.yaml: a service per app, depends_on conditions, healthchecks and restart policies. */
export function exportCompose(input: ExportInput): ExportResult {
  const images = chooseImages(input);
  if (!images.ok) return images;
  const extra: Untranslated[] = [];
  const services = Object.fromEntries(input.apps.map((app) => [dnsName(app.spec.name), literalDollars(service(app, input, images.images.get(app.spec.name) ?? '', extra))]));
  for (const app of input.apps) {
    if (app.spec.instances > 1 && Object.values(app.spec.ports).some((port) => port > 0)) {
      extra.push({ app: app.spec.name, key: 'ports', advice: 'replicas cannot publish the same host port: the ports are exposed to other services only; put a proxy in front to publish them' });
    }
  }
  const untranslated = collectNotes(input.apps, 'compose', extra);
  const text = `${commentBlock(noteLines('compose', untranslated))}${yamlText({ name: dnsName(input.project), services })}`;
  return { ok: true, files: [{ name: 'compose.yaml', text }], untranslated };
}
