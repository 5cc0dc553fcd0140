/**
 * Plugin replies cross the control socket as JSON, so an in-process caller must get what a socket client
 * would. A reply that is already plain JSON data (null, booleans, finite numbers, strings, arrays without
 * holes, plain objects without undefined values, no cycles) would come back from a round trip unchanged:
 * it is passed on as it is. That check visits each object once and never reads a string's characters,
 * where a round trip copies every byte twice; a follow's reply carries hundreds of KiB of log text.
 */

const MAX_DEPTH = 64;

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function exact(value: unknown, depth: number, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > MAX_DEPTH || seen.has(value)) return false;
  seen.add(value);
  const ok = Array.isArray(value) ? exactArray(value, depth, seen) : isPlainObject(value) && exactObject(value, depth, seen);
  seen.delete(value);
  return ok;
}

function exactArray(items: readonly unknown[], depth: number, seen: Set<object>): boolean {
  for (let i = 0; i < items.length; i++) if (!(i in items) || !exact(items[i], depth + 1, seen)) return false;
  return true;
}

function exactObject(fields: object, depth: number, seen: Set<object>): boolean {
  if ('toJSON' in fields) return false;
  // Symbol keys and non-enumerable properties are left out by JSON; a value that has them is not exact.
  if (Object.getOwnPropertySymbols(fields).length > 0) return false;
  const names = Object.getOwnPropertyNames(fields);
  if (names.length !== Object.keys(fields).length) return false;
  for (const name of names) {
    const descriptor = Object.getOwnPropertyDescriptor(fields, name);
    if (!descriptor || !('value' in descriptor) || !exact(descriptor.value, depth + 1, seen)) return false;
  }
  return true;
}

/** Whether JSON.parse(JSON.stringify(value)) would give back an equal value. */
export const isExactJson = (value: unknown): boolean => exact(value, 0, new Set());

/** `value` as a socket client would read it: itself when it is plain JSON data, else its JSON round trip. */
export function asJson(value: unknown): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  if (isExactJson(value)) return { ok: true, value };
  try {
    const text = JSON.stringify(value);
    return { ok: true, value: text === undefined ? null : (JSON.parse(text) as unknown) };
  } catch {
    return { ok: false };
  }
}
