import { describeValue } from './errors.js';
import { parseByteSize, parseDuration } from '../util/units.js';
import { splitShellWords } from '../util/shell-words.js';
import { parseCron } from '../util/cron.js';

export type Segment = string | number;

export interface Failure {
  /** Path below the value being checked. */
  readonly at: readonly Segment[];
  readonly message: string;
  readonly hint?: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failures: readonly Failure[] };

/** Turns unknown input into a typed, normalized value, or says exactly what was wrong. */
export type Check<T> = (value: unknown) => Checked<T>;

export function pass<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function fail(expected: string, got: unknown, hint?: string, at: readonly Segment[] = []): { readonly ok: false; readonly failures: readonly Failure[] } {
  const message = `expected ${expected}, got ${describeValue(got)}`;
  return { ok: false, failures: [hint === undefined ? { at, message } : { at, message, hint }] };
}

export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export const text: Check<string> = (v) => (typeof v === 'string' ? pass(v) : fail('a string', v));

export const nonEmptyText: Check<string> = (v) =>
  typeof v === 'string' && v.trim() !== '' ? pass(v) : fail('a non-empty string', v);

/** Booleans; 'true'/'false' strings too, since values often come from process.env. */
export const flag: Check<boolean> = (v) => {
  if (typeof v === 'boolean') return pass(v);
  if (v === 'true' || v === 'false') return pass(v === 'true');
  return fail('true or false', v);
};

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

export function integer(options: { readonly min?: number; readonly max?: number; readonly expected: string }): Check<number> {
  return (v) => {
    const n = toNumber(v);
    const inRange = n !== undefined && Number.isInteger(n) && n >= (options.min ?? -Infinity) && n <= (options.max ?? Infinity);
    return inRange ? pass(n) : fail(options.expected, v);
  };
}

export const nonNegativeInteger = integer({ min: 0, expected: 'a non-negative integer' });

/** Milliseconds as a number, or '500ms' / '10s' / '1m' / '1h'. */
export const duration: Check<number> = (v) => {
  const ms = typeof v === 'number' ? (Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined) : typeof v === 'string' ? parseDuration(v) : undefined;
  return ms === undefined ? fail('a duration (milliseconds, or a string like "10s", "1m")', v) : pass(ms);
};

/** Bytes as a number, or '512K' / '150M' / '1G'. */
export const byteSize: Check<number> = (v) => {
  const bytes = typeof v === 'number' ? (Number.isFinite(v) && v > 0 ? Math.round(v) : undefined) : typeof v === 'string' ? parseByteSize(v) : undefined;
  return bytes === undefined || bytes <= 0 ? fail('a size (bytes, or a string like "150M", "1G")', v) : pass(bytes);
};

export function oneOf<const T extends string>(values: readonly T[], aliases: Readonly<Record<string, T>> = {}): Check<T> {
  const expected = values.map((value) => JSON.stringify(value)).join(', ');
  return (v) => {
    if (typeof v === 'string') {
      const found = values.find((value) => value === v) ?? aliases[v];
      if (found !== undefined) return pass(found);
    }
    return fail(`one of ${expected}`, v);
  };
}

/** A string split like a shell would, or an array of strings (numbers are stringified, as pm2 does). */
export const argList: Check<readonly string[]> = (v) => {
  if (typeof v === 'string') {
    const split = splitShellWords(v);
    return split.ok ? pass(split.words) : fail('arguments a shell could split', v, split.error);
  }
  return listOf((item) => (typeof item === 'string' || typeof item === 'number' ? pass(String(item)) : fail('a string', item)), 'a string or an array of strings')(v);
};

/** A value or an array of values, always returned as an array. */
export function oneOrMany<T>(check: Check<T>, expected: string): Check<readonly T[]> {
  return (v) => {
    if (Array.isArray(v)) return listOf(check, expected)(v);
    const checked = check(v);
    return checked.ok ? pass([checked.value]) : fail(expected, v, checked.failures[0]?.hint);
  };
}

export function listOf<T>(check: Check<T>, expected: string): Check<readonly T[]> {
  return (v) => {
    if (!Array.isArray(v)) return fail(expected, v);
    const values: T[] = [];
    const failures: Failure[] = [];
    v.forEach((item: unknown, index) => {
      const checked = check(item);
      if (checked.ok) values.push(checked.value);
      else failures.push(...checked.failures.map((f) => ({ ...f, at: [index, ...f.at] })));
    });
    return failures.length > 0 ? { ok: false, failures } : pass(values);
  };
}

export function mapChecked<T, U>(checked: Checked<T>, map: (value: T) => U): Checked<U> {
  return checked.ok ? pass(map(checked.value)) : checked;
}

/** A plain object, also from another realm (a .json ecosystem with comments is evaluated in a vm context). */
export function isPlainObject(v: unknown): v is Readonly<Record<string, unknown>> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return true;
  return Object.prototype.toString.call(v) === '[object Object]' && typeof proto === 'object' && Object.getPrototypeOf(proto) === null;
}

/** A record whose values pass `check`; failures carry the key in their path. */
export function recordOf<T>(check: Check<T>, expected: string): Check<Readonly<Record<string, T>>> {
  return (v) => {
    if (!isPlainObject(v)) return fail(expected, v);
    const out: Record<string, T> = {};
    const failures: Failure[] = [];
    for (const [key, value] of Object.entries(v)) {
      const checked = check(value);
      if (checked.ok) out[key] = checked.value;
      else failures.push(...checked.failures.map((f) => ({ ...f, at: [key, ...f.at] })));
    }
    return failures.length > 0 ? { ok: false, failures } : pass(out);
  };
}

/** Environment values: strings, numbers and booleans are stringified; null and undefined are left out. */
export const envVars: Check<Readonly<Record<string, string>>> = (v) => {
  const checked = recordOf<string | undefined>((value) => {
    if (value === undefined || value === null) return pass(undefined);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return pass(String(value));
    return fail('a string, number or boolean', value);
  }, 'an object of environment variables')(v);
  if (!checked.ok) return checked;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(checked.value)) if (value !== undefined) out[key] = value;
  return pass(out);
};

const SIGNAL_NAMES = new Set(['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGCONT', 'SIGSTOP', 'SIGABRT', 'SIGALRM', 'SIGPWR']);

export const signalName: Check<NodeJS.Signals> = (v) => {
  if (typeof v === 'string') {
    const upper = v.toUpperCase();
    const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
    if (SIGNAL_NAMES.has(name)) return pass(name as NodeJS.Signals);
  }
  return fail('a signal name such as "SIGINT" or "SIGTERM"', v);
};

export const cronExpression: Check<string> = (v) => {
  if (typeof v !== 'string') return fail('a cron expression such as "0 3 * * *"', v);
  const parsed = parseCron(v);
  return parsed.ok ? pass(v.trim()) : fail('a cron expression such as "0 3 * * *"', v, parsed.error);
};

export const exitCode = integer({ min: 0, max: 255, expected: 'an exit code (0-255)' });

export const port = integer({ min: 0, max: 65535, expected: 'a port number (0-65535)' });
