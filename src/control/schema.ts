/**
 * Structural checks for what a peer sends, built from small pieces so each model type is described once.
 * A check never throws: it returns undefined when the value fits, else what is wrong and where
 * (`list[2].state.pid: expected an integer, got "x" (string)`). Values are checked in place: fields a
 * newer peer adds pass through unchecked, fields this side knows must be right.
 */

export interface Shape<T> {
  readonly check: (value: unknown, path: string) => string | undefined;
  /** Carries T for the type checker only; never set. */
  readonly type?: T;
}

export type TypeOf<S> = S extends Shape<infer T> ? T : never;

/** JSON text of a value; a nesting too deep for JSON.stringify's recursion (JSON.parse has none) gives a stub. */
function preview(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? '[…]' : '{…}';
  }
}

/** A short account of a received value for error messages: `"ten" (string)`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = preview(value);
  return `${text.length > 40 ? `${text.slice(0, 40)}…` : text} (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
}

/** The one place a checked value takes its type: `check` said it fits. */
export function fits<T>(shape: Shape<T>, value: unknown, path: string): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string } {
  const error = shape.check(value, path);
  return error === undefined ? { ok: true, value: value as T } : { ok: false, error };
}

export function primitive<T>(expected: string, test: (value: unknown) => boolean): Shape<T> {
  return { check: (value, path) => (test(value) ? undefined : `${path}: expected ${expected}, got ${describeValue(value)}`) };
}

export const string = primitive<string>('a string', (v) => typeof v === 'string');
export const number = primitive<number>('a number', (v) => typeof v === 'number' && Number.isFinite(v));
export const integer = primitive<number>('an integer', (v) => Number.isSafeInteger(v));
export const count = primitive<number>('a non-negative integer', (v) => Number.isSafeInteger(v) && typeof v === 'number' && v >= 0);
export const boolean = primitive<boolean>('true or false', (v) => typeof v === 'boolean');
export const anything: Shape<unknown> = { check: () => undefined };

export function literal<const L extends readonly (string | number | boolean | null)[]>(...values: L): Shape<L[number]> {
  const allowed = new Set<unknown>(values);
  return primitive(values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) => allowed.has(v));
}

/** Absent (JSON drops undefined) or fitting `shape`. */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> {
  return { check: (value, path) => (value === undefined ? undefined : shape.check(value, path)) };
}

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return { check: (value, path) => (value === null ? undefined : shape.check(value, path)) };
}

export function array<T>(item: Shape<T>): Shape<readonly T[]> {
  return {
    check(value, path) {
      if (!Array.isArray(value)) return `${path}: expected an array, got ${describeValue(value)}`;
      for (let i = 0; i < value.length; i++) {
        const error = item.check(value[i], `${path}[${i}]`);
        if (error !== undefined) return error;
      }
      return undefined;
    },
  };
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object whose values all fit `item` (env maps, named ports). */
export function record<T>(item: Shape<T>): Shape<Readonly<Record<string, T>>> {
  return {
    check(value, path) {
      if (!isRecord(value)) return `${path}: expected an object, got ${describeValue(value)}`;
      for (const [key, field] of Object.entries(value)) {
        const error = item.check(field, `${path}.${key}`);
        if (error !== undefined) return error;
      }
      return undefined;
    },
  };
}

type Fields = Readonly<Record<string, Shape<unknown>>>;
export type ObjectOf<F extends Fields> = { readonly [K in keyof F]: TypeOf<F[K]> };

/** An object's shape also names its fields, so a decoder can keep those and drop the rest. */
export interface ObjectShape<T> extends Shape<T> {
  readonly keys: readonly string[];
}

export function object<F extends Fields>(fields: F): ObjectShape<ObjectOf<F>> {
  const entries = Object.entries(fields);
  return {
    keys: Object.keys(fields),
    check(value, path) {
      if (!isRecord(value)) return `${path}: expected an object, got ${describeValue(value)}`;
      for (const [key, shape] of entries) {
        const error = shape.check(value[key], path === '' ? key : `${path}.${key}`);
        if (error !== undefined) return error;
      }
      return undefined;
    },
  };
}

/** A union told apart by one field (`status`, `type`, `ok`); the field's value picks the variant to check. */
export function tagged<K extends string, V extends Readonly<Record<string, Shape<unknown>>>>(key: K, variants: V): Shape<TypeOf<V[keyof V]>> {
  const names = Object.keys(variants);
  return {
    check(value, path) {
      if (!isRecord(value)) return `${path}: expected an object, got ${describeValue(value)}`;
      const tag = value[key];
      const variant = (typeof tag === 'string' || typeof tag === 'boolean') && Object.hasOwn(variants, String(tag)) ? variants[String(tag)] : undefined;
      const where = path === '' ? key : `${path}.${key}`;
      if (!variant) return `${where}: expected one of ${names.join(', ')}, got ${describeValue(tag)}`;
      return variant.check(value, path);
    },
  };
}

/** A shape with one more condition over the whole value (`min ≤ max`). */
export function refine<T, S extends Shape<T>>(shape: S & Shape<T>, holds: (value: T) => boolean, expected: string): S {
  return {
    ...shape,
    check(value, path) {
      const checked = fits<T>(shape, value, path);
      if (!checked.ok) return checked.error;
      return holds(checked.value) ? undefined : `${path === '' ? '' : `${path}: `}expected ${expected}, got ${describeValue(value)}`;
    },
  };
}
