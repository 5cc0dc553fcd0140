import { compilePattern, type CompiledPattern, type PathPattern } from './patterns.js';

/**
 * A worker's trust: which verbs its master may use on the worker's own apps, and whether (and which) app
 * specs sent by the master it runs. `federation({ trust })` is checked when the config loads; every
 * decision is made on the worker, and a refusal names the node and the rule.
 */

export const REMOTE_VERBS = ['ls', 'describe', 'start', 'stop', 'restart', 'reload', 'signal', 'logs', 'flush'] as const;
export type RemoteVerb = (typeof REMOTE_VERBS)[number];

export interface TrustSpecsOptions {
  /**
   * Programs (the script, and the interpreter when the spec names one) the master may start, as real paths.
   * Arguments pass as given, so trust scripts, not interpreters: `/usr/bin/python3` would run any `-c`.
   */
  readonly commands: readonly PathPattern[];
  /** Working folders the master may start them in, as real paths. */
  readonly cwds: readonly PathPattern[];
  /** Environment variable names the master may set (none by default: NODE_OPTIONS or LD_PRELOAD would run anything). */
  readonly env?: readonly string[];
}

export interface TrustOptions {
  /** Verbs the master may use on this worker's own apps (default: all of REMOTE_VERBS). */
  readonly verbs?: readonly RemoteVerb[];
  /** Off unless given: app specs sent by the master that this worker agrees to run. */
  readonly specs?: TrustSpecsOptions | false;
}

export interface TrustSpecs {
  readonly commands: readonly CompiledPattern[];
  readonly cwds: readonly CompiledPattern[];
  readonly env: ReadonlySet<string>;
}

export interface TrustPolicy {
  readonly verbs: ReadonlySet<RemoteVerb>;
  readonly specs: TrustSpecs | undefined;
}

export const DEFAULT_TRUST: TrustPolicy = { verbs: new Set(REMOTE_VERBS), specs: undefined };

/** A decision against the policy: the typed refusal names the node, the rule and what was asked. */
export interface PolicyRefusal {
  readonly ok: false;
  readonly code: 'refused_by_policy';
  readonly node: string;
  readonly rule: string;
  readonly message: string;
}

export const refusal = (node: string, rule: string, what: string): PolicyRefusal => ({ ok: false, code: 'refused_by_policy', node, rule, message: `node "${node}" refused ${what} (rule ${rule})` });

const describe = (value: unknown): string => `${JSON.stringify(value) ?? String(value)} (${value === null ? 'null' : Array.isArray(value) ? 'array' : value instanceof RegExp ? 'RegExp' : typeof value})`;
const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function unknownKeys(where: string, value: Readonly<Record<string, unknown>>, known: readonly string[], problems: string[]): void {
  for (const key of Object.keys(value)) if (!known.includes(key)) problems.push(`${where}.${key}: unknown key; expected one of ${known.join(', ')}`);
}

function verbsOf(value: unknown, problems: string[]): ReadonlySet<RemoteVerb> {
  if (value === undefined) return DEFAULT_TRUST.verbs;
  if (!Array.isArray(value)) {
    problems.push(`trust.verbs: expected an array of verbs (${REMOTE_VERBS.join(', ')}), got ${describe(value)}`);
    return new Set();
  }
  const verbs = new Set<RemoteVerb>();
  value.forEach((verb: unknown, i) => {
    const known = REMOTE_VERBS.find((v) => v === verb);
    if (known) verbs.add(known);
    else problems.push(`trust.verbs[${i}]: expected one of ${REMOTE_VERBS.join(', ')}, got ${describe(verb)}`);
  });
  return verbs;
}

function patternsOf(where: string, value: unknown, problems: string[]): readonly CompiledPattern[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${where}: expected a non-empty array of path patterns ("/srv/apps/**" or a RegExp), got ${describe(value)}`);
    return [];
  }
  return value.flatMap((pattern: unknown, i) => {
    const compiled = compilePattern(pattern);
    if (typeof compiled === 'string') problems.push(`${where}[${i}]: ${compiled}`);
    return typeof compiled === 'string' ? [] : [compiled];
  });
}

function envOf(value: unknown, problems: string[]): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) {
    problems.push(`trust.specs.env: expected an array of environment variable names, got ${describe(value)}`);
    return new Set();
  }
  value.forEach((name: unknown, i) => {
    if (typeof name !== 'string' || !ENV_NAME.test(name)) problems.push(`trust.specs.env[${i}]: expected a variable name such as "PORT", got ${describe(name)}`);
  });
  return new Set(value.filter((name): name is string => typeof name === 'string'));
}

function specsOf(value: unknown, problems: string[]): TrustSpecs | undefined {
  if (value === undefined || value === false) return undefined;
  if (!isRecord(value)) {
    problems.push(`trust.specs: expected false or { commands, cwds, env? }, got ${describe(value)}`);
    return undefined;
  }
  unknownKeys('trust.specs', value, ['commands', 'cwds', 'env'], problems);
  return { commands: patternsOf('trust.specs.commands', value.commands, problems), cwds: patternsOf('trust.specs.cwds', value.cwds, problems), env: envOf(value.env, problems) };
}

/** The policy, or every problem at once, each naming its key (`trust.specs.cwds[1]: …`). */
export function resolveTrust(input: unknown): { readonly ok: true; readonly policy: TrustPolicy } | { readonly ok: false; readonly problems: readonly string[] } {
  if (input === undefined) return { ok: true, policy: DEFAULT_TRUST };
  const problems: string[] = [];
  if (!isRecord(input)) return { ok: false, problems: [`trust: expected { verbs?, specs? }, got ${describe(input)}`] };
  unknownKeys('trust', input, ['verbs', 'specs'], problems);
  const policy = { verbs: verbsOf(input.verbs, problems), specs: specsOf(input.specs, problems) };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy };
}

export type VerbDecision = { readonly ok: true } | PolicyRefusal;

/**
 * May the master use this verb on the worker's own apps? A rolling reload needs a target: a reload without
 * one re-reads the worker's config, which only the worker's owner does (showing its plan changes nothing).
 */
export function authorizeVerb(policy: TrustPolicy, node: string, verb: RemoteVerb, target: string | undefined, planOnly = false): VerbDecision {
  if (!policy.verbs.has(verb)) return refusal(node, 'trust.verbs', `${verb}${target ? ` ${target}` : ''}: allowed verbs are ${[...policy.verbs].join(', ') || 'none'}`);
  if (verb === 'reload' && target === undefined && !planOnly) return refusal(node, 'reload.target', 'a config reload: the master may only reload an app (rolling restart), never re-read this node\'s config');
  return { ok: true };
}
