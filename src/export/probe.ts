import type { ReadinessCheck, ReadinessSpec } from '../model/app.js';
import { appEnv } from './env.js';
import type { ExportApp, Untranslated } from './types.js';

/** A readiness check as the targets take it. */
export type Probe =
  | { readonly kind: 'http'; readonly scheme: 'http' | 'https'; readonly host: string; readonly port: number; readonly path: string; readonly url: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'exec'; readonly command: string };

export type ProbeResult = { readonly ok: true; readonly probe: Probe } | { readonly ok: false; readonly advice: string };

/** `${PORT}`, `$PORT` or a number, looked up in the app's variables. */
function portFrom(value: number | string, vars: Readonly<Record<string, string>>): number | undefined {
  if (typeof value === 'number') return value;
  const name = /^\$\{?(\w+)\}?$/.exec(value)?.[1];
  const resolved = name ? Number(vars[name]) : Number(value);
  return Number.isInteger(resolved) && resolved > 0 ? resolved : undefined;
}

export function probeOf(check: ReadinessCheck, vars: Readonly<Record<string, string>>): ProbeResult {
  switch (check.kind) {
    case 'http': {
      const url = new URL(check.url.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => vars[name] ?? whole));
      const scheme = url.protocol === 'https:' ? 'https' : 'http';
      const port = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
      return { ok: true, probe: { kind: 'http', scheme, host: url.hostname, port, path: `${url.pathname}${url.search}`, url: url.toString() } };
    }
    case 'tcp': {
      const port = portFrom(check.port, vars);
      if (port === undefined) return { ok: false, advice: `the probe's port ${String(check.port)} is not set in the app's env: write the port number` };
      return { ok: true, probe: { kind: 'tcp', host: check.host, port } };
    }
    case 'exec':
      return { ok: true, probe: { kind: 'exec', command: check.command } };
    case 'log':
      return { ok: false, advice: 'a log-line readiness check has no counterpart: use readiness: { http | tcp | exec }' };
  }
}

/** A shell command that passes when the probe does, for targets that only run commands (node is in the image). */
export function probeCommand(probe: Probe): string {
  switch (probe.kind) {
    case 'exec':
      return probe.command;
    case 'http':
      return `node -e "fetch('${probe.url}').then((r) => process.exit(r.status < 400 ? 0 : 1), () => process.exit(1))"`;
    case 'tcp':
      return `node -e "require('node:net').connect(${probe.port}, '${probe.host}').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"`;
  }
}

export const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** A duration in the short form Compose, Nomad and systemd read: 250ms, 3s, 90s. */
export function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export type { ReadinessSpec };

/** The app's readiness check as a probe; a check with no counterpart becomes a note and no probe. */
export function readinessProbe(app: ExportApp, notes: Untranslated[]): Probe | undefined {
  const readiness = app.spec.readiness;
  if (!readiness) return undefined;
  const probe = probeOf(readiness.check, appEnv(app));
  if (probe.ok) return probe.probe;
  notes.push({ app: app.spec.name, key: 'readiness', advice: probe.advice });
  return undefined;
}
