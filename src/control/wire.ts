import { PROTOCOL_RANGE, describeRange, type Decoded, type ProtocolErrorCode } from './protocol.js';
import { describeValue } from './schema.js';

/** What both doors (request decode, server-message decode) share: JSON to an object, the version check. */

export type Fields = Readonly<Record<string, unknown>>;

export const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function fail(id: number | null, code: ProtocolErrorCode, message: string): Decoded<never> {
  return { ok: false, id, error: { code, message } };
}

/** Raw text or a parsed value → an object, or the error to tell the peer. */
export function parse(raw: unknown): Decoded<Fields> {
  let value = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try {
      value = JSON.parse(raw.toString());
    } catch (error) {
      return fail(null, 'bad_json', `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(null, 'not_an_object', `expected a JSON object, got ${describeValue(value)}`);
  return { ok: true, message: { ...value } };
}

/** A message in a version this side does not speak is refused, naming both sides' versions. */
export function checkVersion(fields: Fields, id: number | null, self: string): Decoded<never> | undefined {
  if (isCount(fields.v) && fields.v >= PROTOCOL_RANGE.min && fields.v <= PROTOCOL_RANGE.max) return undefined;
  return fail(id, 'unsupported_version', `protocol version ${describeValue(fields.v)} is not supported; this ${self} speaks ${describeRange(PROTOCOL_RANGE)}`);
}
