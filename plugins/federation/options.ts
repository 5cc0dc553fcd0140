import os from 'node:os';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { DEFAULT_TRUST, resolveTrust, type TrustOptions, type TrustPolicy } from './policy.js';
import { NAME, parseLabels, type Labels } from './store.js';

/**
 * `federation({ listen, advertise })` makes a master; `federation({ name, labels })` a worker. Options are
 * checked when the config loads: every problem is named with what was expected and what was given.
 */
export interface FederationOptions {
  /** `host:port` the master listens on; its presence makes this node the master. */
  readonly listen?: string;
  /** `host:port` written into invites (default: listen, or this host's name when listen is a wildcard). */
  readonly advertise?: string;
  /** This node's name (the master's, shown to workers; a worker's is only informative: the master's pin decides). */
  readonly name?: string;
  /** A worker's labels (informative only: the master's pin decides). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Overrides of the limits table (tests shorten timers). */
  readonly limits?: Partial<Limits>;
  /** A worker's policy: what its master may do here (policy.ts). */
  readonly trust?: TrustOptions;
}

export type ResolvedOptions =
  | { readonly role: 'master'; readonly host: string; readonly port: number; readonly advertise: string | undefined; readonly name: string; readonly limits: Limits }
  | { readonly role: 'worker'; readonly name: string | undefined; readonly labels: Labels | undefined; readonly limits: Limits; readonly trust: TrustPolicy };

const describe = (value: unknown): string => `${JSON.stringify(value) ?? String(value)} (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;

export function parseHostPort(text: string): { readonly host: string; readonly port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s\[\]]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  return host !== undefined && port >= 0 && port <= 65535 ? { host, port } : undefined;
}

const WILDCARDS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '*']);
const LEAST_RATES: Readonly<Record<'messagesPerSecond' | 'bytesPerSecond', number>> = { messagesPerSecond: 4, bytesPerSecond: 1024 * 1024 };

function limitsOf(value: unknown, problems: string[]): Limits {
  if (value === undefined) return DEFAULT_LIMITS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`limits: expected an object, got ${describe(value)}`);
    return DEFAULT_LIMITS;
  }
  const unknown = Object.keys(value).filter((key) => !Object.hasOwn(DEFAULT_LIMITS, key));
  if (unknown.length > 0) problems.push(`limits: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  const fields = value as Readonly<Record<string, unknown>>;
  // A sender paces to a quarter of the peer's rates at once, and that must hold a message and a full frame.
  for (const [key, least] of Object.entries(LEAST_RATES)) {
    const given = fields[key];
    if (given !== undefined && !(typeof given === 'number' && Number.isFinite(given) && given >= least)) problems.push(`limits.${key}: expected a number of at least ${least}, got ${describe(given)}`);
  }
  return { ...DEFAULT_LIMITS, ...(value as Partial<Limits>) };
}

export function resolveOptions(input: unknown): ResolvedOptions {
  const problems: string[] = [];
  const options = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : (problems.push(`expected an options object, got ${describe(input)}`), {})) as Record<string, unknown>;
  const known = new Set(['listen', 'advertise', 'name', 'labels', 'limits', 'trust']);
  for (const key of Object.keys(options)) if (!known.has(key)) problems.push(`${key}: unknown option; expected one of ${[...known].join(', ')}`);
  const name = options.name;
  if (name !== undefined && (typeof name !== 'string' || !NAME.test(name))) problems.push(`name: expected letters, digits, ".", "_" or "-" (at most 63), got ${describe(name)}`);
  const labels = options.labels === undefined ? undefined : parseLabels(options.labels);
  if (options.labels !== undefined && !labels) problems.push(`labels: expected an object of short names to strings, got ${describe(options.labels)}`);
  const limits = limitsOf(options.limits, problems);
  const listen = options.listen === undefined ? undefined : typeof options.listen === 'string' ? parseHostPort(options.listen) : undefined;
  if (options.listen !== undefined && !listen) problems.push(`listen: expected "host:port" such as "0.0.0.0:7420", got ${describe(options.listen)}`);
  const advertise = options.advertise;
  if (advertise !== undefined && (typeof advertise !== 'string' || !parseHostPort(advertise))) problems.push(`advertise: expected "host:port" that workers can reach, got ${describe(advertise)}`);
  if (advertise !== undefined && options.listen === undefined) problems.push('advertise: only a master (with listen) advertises an address');
  if (listen && options.labels !== undefined) problems.push('labels: a master has no labels; labels belong to workers (and are set by the master at invite time)');
  const trust = resolveTrust(options.trust);
  if (!trust.ok) problems.push(...trust.problems);
  if (listen && options.trust !== undefined) problems.push('trust: only a worker has a trust policy; it decides what its master may do there');
  if (problems.length > 0) throw new Error(`federation options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  if (listen) {
    const fallback = WILDCARDS.has(listen.host) ? `${os.hostname()}:${listen.port}` : `${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`;
    return { role: 'master', host: listen.host === '*' ? '0.0.0.0' : listen.host, port: listen.port, advertise: typeof advertise === 'string' ? advertise : listen.port === 0 ? undefined : fallback, name: typeof name === 'string' ? name : os.hostname(), limits };
  }
  return { role: 'worker', name: typeof name === 'string' ? name : undefined, labels, limits, trust: trust.ok ? trust.policy : DEFAULT_TRUST };
}
