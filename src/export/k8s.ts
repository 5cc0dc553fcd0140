import { containerCommand, containerCwd } from './command.js';
import { containerEnv, dnsName } from './env.js';
import { chooseImages } from './image.js';
import { collectNotes, commentBlock, noteLines } from './notes.js';
import { readinessProbe, seconds, type Probe } from './probe.js';
import type { ExportApp, ExportInput, ExportResult, Untranslated } from './types.js';
import { yamlText } from './yaml.js';

type Doc = Readonly<Record<string, unknown>>;

function handler(probe: Probe): Doc {
  switch (probe.kind) {
    case 'http':
      return { httpGet: { path: probe.path, port: probe.port, scheme: probe.scheme.toUpperCase() } };
    case 'tcp':
      return { tcpSocket: { port: probe.port } };
    case 'exec':
      return { exec: { command: ['/bin/sh', '-c', probe.command] } };
  }
}

function probes(app: ExportApp, notes: Untranslated[]): Doc {
  const readiness = app.spec.readiness;
  const probe = readinessProbe(app, notes);
  if (!readiness || !probe) return {};
  const period = seconds(readiness.intervalMs);
  const timing = { periodSeconds: period, timeoutSeconds: seconds(readiness.timeoutMs), initialDelaySeconds: Math.floor(readiness.initialDelayMs / 1000) };
  const startWindow = Math.floor(readiness.initialDelayMs / 1000) + period * Math.max(readiness.retries, 1);
  return {
    readinessProbe: { ...handler(probe), ...timing, ...(readiness.retries > 0 ? { failureThreshold: readiness.retries } : {}) },
    livenessProbe: { ...handler(probe), ...timing, periodSeconds: Math.max(period, 10), initialDelaySeconds: startWindow, failureThreshold: 3 },
  };
}

function portName(variable: string): string {
  return dnsName(variable.replace(/_PORT$/, '')).slice(0, 15).replace(/-+$/, '') || 'port';
}

function containerPorts(app: ExportApp): { name: string; containerPort: number }[] {
  return Object.entries(app.spec.ports).filter(([, port]) => port > 0).map(([variable, port]) => ({ name: portName(variable), containerPort: port }));
}

function nodeSelector(node: string | undefined): Doc {
  if (node === undefined || node === 'all') return {};
  if (!node.includes('=')) return { nodeSelector: { 'kubernetes.io/hostname': node } };
  return { nodeSelector: Object.fromEntries(node.split(',').map((pair) => pair.split('=').map((part) => part.trim()))) };
}

function podSpec(app: ExportApp, input: ExportInput, image: string, notes: Untranslated[]): Doc {
  // Kubernetes expands $(VAR) in command and args; $$( keeps it literal.
  const [command, ...args] = containerCommand(app.spec, input).map((word) => word.replace(/\$\(/g, '$$$$('));
  const name = dnsName(app.spec.name);
  const ports = containerPorts(app);
  const memory = app.spec.maxMemoryBytes;
  const container = {
    name,
    image,
    workingDir: containerCwd(app.spec, input, notes),
    command: [command],
    args,
    ...(Object.keys(containerEnv(app, input)).length > 0 ? { envFrom: [{ configMapRef: { name: `${name}-env` } }] } : {}),
    ...(ports.length > 0 ? { ports } : {}),
    ...(memory !== undefined ? { resources: { limits: { memory: `${Math.ceil(memory / 1024 ** 2)}Mi` } } } : {}),
    ...probes(app, notes),
  };
  return {
    ...nodeSelector(app.spec.node),
    ...(app.spec.autorestart ? {} : { restartPolicy: 'Never' }),
    terminationGracePeriodSeconds: seconds(app.spec.killTimeoutMs),
    containers: [container],
  };
}

function workload(app: ExportApp, input: ExportInput, image: string, notes: Untranslated[]): Doc {
  const name = dnsName(app.spec.name);
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': dnsName(input.project) };
  const metadata = { name, namespace: dnsName(app.spec.namespace), labels };
  const template = { metadata: { labels }, spec: podSpec(app, input, image, notes) };
  if (!app.spec.autorestart) {
    const count = app.spec.autostart ? app.spec.instances : 0;
    return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: { completions: count, parallelism: count, backoffLimit: 0, template } };
  }
  const selector = { matchLabels: { 'app.kubernetes.io/name': name } };
  if (app.spec.node === 'all') return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata, spec: { selector, template } };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas: app.spec.autostart ? app.spec.instances : 0, selector, template } };
}

function documents(app: ExportApp, input: ExportInput, image: string, notes: Untranslated[]): Doc[] {
  const name = dnsName(app.spec.name);
  const namespace = dnsName(app.spec.namespace);
  const env = containerEnv(app, input);
  const docs: Doc[] = [];
  if (Object.keys(env).length > 0) docs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-env`, namespace }, data: env });
  docs.push(workload(app, input, image, notes));
  const ports = containerPorts(app);
  if (ports.length > 0 && app.spec.autorestart) {
    docs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { selector: { 'app.kubernetes.io/name': name }, ports: ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name })) },
    });
  }
  return docs;
}

/** The namespaces the apps name besides `default`, first in the file: `kubectl apply` creates them before their objects. */
function namespaces(input: ExportInput): Doc[] {
  const names = [...new Set(input.apps.map((app) => dnsName(app.spec.namespace)))].filter((name) => name !== 'default');
  return names.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}

/** One multi-document YAML file: the namespaces, then per app a ConfigMap, a Deployment / DaemonSet / Job and a Service. */
export function exportK8s(input: ExportInput): ExportResult {
  const images = chooseImages(input);
  if (!images.ok) return images;
  const extra: Untranslated[] = [];
  const docs = [...namespaces(input), ...input.apps.flatMap((app) => documents(app, input, images.images.get(app.spec.name) ?? '', extra))];
  const untranslated = collectNotes(input.apps, 'k8s', extra);
  const body = docs.map(yamlText).join('---\n');
  return { ok: true, files: [{ name: `${dnsName(input.project)}.k8s.yaml`, text: `${commentBlock(noteLines('k8s', untranslated))}${body}` }], untranslated };
}
