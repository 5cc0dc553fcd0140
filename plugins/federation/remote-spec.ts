import path from 'node:path';
import { hasControl, matchesAny, resolveProgram, type PathResolver } from './patterns.js';
import { ENV_NAME, refusal, type PolicyRefusal, type TrustPolicy } from './policy.js';
import { NAME } from './store.js';

/**
 * An app spec the master asks a worker to run. Only these keys are understood; any other (node_args,
 * interpreter_args, …) is refused rather than dropped, since each could change what runs. The worker runs
 * the resolved spec it returns (real paths), never the strings it received.
 */
export interface RemoteSpec {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly cwd: string | undefined;
  readonly interpreter: string | undefined;
  readonly env: Readonly<Record<string, string>>;
}

export interface ResolvedSpec {
  readonly name: string;
  /** Real path of the script. */
  readonly script: string;
  readonly args: readonly string[];
  /** Real path of the working folder. */
  readonly cwd: string;
  /** Real path of the interpreter, when the spec named one ('none' stays 'none'). */
  readonly interpreter: string | undefined;
  readonly env: Readonly<Record<string, string>>;
}

const SPEC_KEYS = ['name', 'script', 'args', 'cwd', 'interpreter', 'env'] as const;
const MAX_TEXT = 4096;
const MAX_ARGS = 64;
const MAX_ENV = 64;

const safeText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT && !hasControl(value);
/** Arguments may be empty strings or hold tabs and newlines, never NUL (it would cut the argument short). */
const safeArg = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_TEXT && !value.includes('\u0000');

function decodeEnv(value: unknown): Readonly<Record<string, string>> | string {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'env: expected an object of names to strings';
  const entries = Object.entries(value as Readonly<Record<string, unknown>>);
  if (entries.length > MAX_ENV) return `env: at most ${MAX_ENV} variables`;
  const isGood = (entry: [string, unknown]): entry is [string, string] => ENV_NAME.test(entry[0]) && safeArg(entry[1]);
  const good = entries.filter(isGood);
  const bad = entries.find((entry) => !isGood(entry));
  return bad ? `env.${bad[0].slice(0, 64)}: expected a variable name and a string value without NUL` : Object.fromEntries(good);
}

/** The spec's shape from the wire, or what is wrong with it. Never throws. */
export function decodeRemoteSpec(raw: unknown): RemoteSpec | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'expected an app spec object';
  const fields = raw as Readonly<Record<string, unknown>>;
  const unknown = Object.keys(fields).filter((key) => !(SPEC_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) return `unsupported key${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}; a remote spec may hold only ${SPEC_KEYS.join(', ')}`;
  if (typeof fields.name !== 'string' || !NAME.test(fields.name)) return 'name: expected letters, digits, ".", "_" or "-"';
  if (!safeText(fields.script)) return 'script: expected a non-empty path or command without control characters';
  if (fields.cwd !== undefined && !safeText(fields.cwd)) return 'cwd: expected a path without control characters';
  if (fields.interpreter !== undefined && !safeText(fields.interpreter)) return 'interpreter: expected a path or command without control characters';
  const args = fields.args ?? [];
  if (!Array.isArray(args) || args.length > MAX_ARGS || !args.every(safeArg)) return `args: expected at most ${MAX_ARGS} strings without NUL`;
  const env = decodeEnv(fields.env);
  if (typeof env === 'string') return env;
  return { name: fields.name, script: fields.script, args, cwd: fields.cwd, interpreter: fields.interpreter, env };
}

export type SpecDecision = { readonly ok: true; readonly spec: ResolvedSpec } | PolicyRefusal;

export interface SpecContext {
  readonly node: string;
  /** The worker's config folder: a relative cwd is resolved from it, and it is the cwd when none is given. */
  readonly baseDir: string;
  readonly resolver: PathResolver;
}

function resolveInterpreter(spec: RemoteSpec, cwd: string, ctx: SpecContext, policy: NonNullable<TrustPolicy['specs']>): { readonly ok: true; readonly path: string | undefined } | PolicyRefusal {
  if (spec.interpreter === undefined || spec.interpreter === 'none') return { ok: true, path: spec.interpreter };
  const real = resolveProgram(spec.interpreter, cwd, ctx.resolver);
  if (real === undefined) return refusal(ctx.node, 'trust.specs.commands', `app "${spec.name}": interpreter ${JSON.stringify(spec.interpreter)} does not exist here`);
  if (!matchesAny(policy.commands, real)) return refusal(ctx.node, 'trust.specs.commands', `app "${spec.name}": interpreter ${real} matches no trusted command`);
  return { ok: true, path: real };
}

/** Decodes, resolves and checks a spec sent by the master. Off unless the worker's trust has `specs`. */
export function authorizeSpec(policy: TrustPolicy, raw: unknown, ctx: SpecContext): SpecDecision {
  const trusted = policy.specs;
  if (!trusted) return refusal(ctx.node, 'trust.specs', 'to run an app spec sent by the master: this node runs only its own apps');
  const spec = decodeRemoteSpec(raw);
  if (typeof spec === 'string') return refusal(ctx.node, 'spec', `the app spec: ${spec}`);
  const cwd = ctx.resolver.realpath(path.resolve(ctx.baseDir, spec.cwd ?? '.'));
  if (cwd === undefined) return refusal(ctx.node, 'trust.specs.cwds', `app "${spec.name}": cwd ${JSON.stringify(spec.cwd)} does not exist here`);
  if (!matchesAny(trusted.cwds, cwd)) return refusal(ctx.node, 'trust.specs.cwds', `app "${spec.name}": cwd ${cwd} matches no trusted folder`);
  const script = resolveProgram(spec.script, cwd, ctx.resolver);
  if (script === undefined) return refusal(ctx.node, 'trust.specs.commands', `app "${spec.name}": script ${JSON.stringify(spec.script)} does not exist here`);
  if (!matchesAny(trusted.commands, script)) return refusal(ctx.node, 'trust.specs.commands', `app "${spec.name}": ${script} matches no trusted command`);
  const interpreter = resolveInterpreter(spec, cwd, ctx, trusted);
  if (!interpreter.ok) return interpreter;
  const untrustedEnv = Object.keys(spec.env).filter((key) => !trusted.env.has(key));
  if (untrustedEnv.length > 0) return refusal(ctx.node, 'trust.specs.env', `app "${spec.name}": environment ${untrustedEnv.slice(0, 5).join(', ')} not in trust.specs.env`);
  return { ok: true, spec: { name: spec.name, script, args: spec.args, cwd, interpreter: interpreter.path, env: spec.env } };
}
