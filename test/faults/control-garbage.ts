/**
 * Seeded generators of malformed control messages. Every one is a single line the supervisor must answer
 * with exactly one error reply: none is valid, none is empty or whitespace, none holds a newline.
 */
import { MAX_MESSAGE_BYTES } from '../../src/control/protocol.js';

export type Random = () => number;

/** mulberry32: small, fast and reproducible, so a failing run can be replayed from its seed. */
export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const WRONG_TARGETS: readonly unknown[] = [42, '', '   ', null, [], {}, true, 'x'.repeat(300), ['api'], -1];
const NOT_COUNTS: readonly unknown[] = [-1, 1.5, '10', null, 1e300, true, [], {}, 100_001];
const TARGETED = ['describe', 'start', 'stop', 'restart'] as const;
const UNKNOWN_TYPES: readonly unknown[] = ['explode', 'LIST', 'list ', '', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 42, null, ['list'], { type: 'list' }];
const BAD_VERSIONS: readonly unknown[] = [0, 2, 99, -1, '1', 1.0001, null, true, [1], { v: 1 }];

type Envelope = Record<string, unknown>;

/** A request with a field of the wrong type: rejected with invalid_field whatever the id. */
function wrongField(random: Random, id: number): Envelope {
  const kind = Math.floor(random() * 9);
  const base = { v: 1, id };
  switch (kind) {
    case 0:
      return { ...base, type: pick(random, TARGETED), target: pick(random, WRONG_TARGETS) };
    case 1:
      return { ...base, type: 'signal', target: 'all', signal: pick(random, ['SIGFOO', 'sigterm', 9, '', null, 'KILL']) };
    case 2:
      return { ...base, type: 'logs', lines: pick(random, NOT_COUNTS) };
    case 3:
      return { ...base, type: 'logs', lines: 10, streams: pick(random, ['out', ['stdout'], [1], {}, ['out', 'oops']]) };
    case 4:
      return { ...base, type: 'reload', planOnly: pick(random, ['yes', 1, null, [], {}]) };
    case 5:
      return { ...base, type: 'subscribe', logs: pick(random, [42, '', null, [], 'x'.repeat(300)]) };
    case 6:
      return { ...base, type: 'unsubscribe', subscription: pick(random, NOT_COUNTS.filter((n) => n !== 100_001)) };
    case 7:
      return { ...base, type: 'shutdown', reason: pick(random, [42, null, [], {}, 'r'.repeat(300)]) };
    default:
      return { v: 1, id: pick(random, [-3, 1.5, '7', null, [], 1e21]), type: 'list' };
  }
}

/** Random bytes that are not UTF-8 (so never whitespace once decoded) and hold no newline. */
function binary(random: Random): Buffer {
  const bytes = Buffer.alloc(1 + Math.floor(random() * 200));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  bytes[0] = 0xff;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) bytes[i] = 0x00;
  return bytes;
}

/** A proper prefix of a JSON object is never valid JSON; it always starts with "{", so it is never blank. */
function truncated(random: Random, id: number): string {
  const whole = JSON.stringify({ v: 1, id, type: pick(random, ['list', 'hello', 'logs']), lines: 5 });
  return whole.slice(0, 1 + Math.floor(random() * (whole.length - 1)));
}

const NOT_OBJECTS: readonly string[] = ['[]', '42', '"list"', 'null', 'true', '[{"v":1,"id":1,"type":"list"}]', '-0', '1e999'];
const BAD_JSON: readonly string[] = ["{'v':1}", '{v:1,id:1,type:list}', 'not json at all', '{"v":1,"id":1,"type":"list"}}', '{"a":1,}', 'NaN', 'undefined', '{"v":1 "id":2}', '\u0000\u0001', '{"v":"\\uZZZZ"}'];

export interface GarbageOptions {
  /** One message in this many is over MAX_MESSAGE_BYTES (0: none). */
  readonly oversizedEvery: number;
}

/** The `index`-th malformed message of a stream, as the bytes of one line (without the newline). */
export function malformed(random: Random, index: number, options: GarbageOptions): Buffer {
  const id = index + 1;
  if (options.oversizedEvery > 0 && index % options.oversizedEvery === options.oversizedEvery - 1) {
    return Buffer.from(`{"v":1,"id":${id},"type":"list","pad":"${'x'.repeat(MAX_MESSAGE_BYTES)}"}`);
  }
  switch (Math.floor(random() * 8)) {
    case 0:
      return Buffer.from(pick(random, BAD_JSON));
    case 1:
      return Buffer.from(pick(random, NOT_OBJECTS));
    case 2:
      return Buffer.from(truncated(random, id));
    case 3:
      return binary(random);
    case 4:
      return Buffer.from(JSON.stringify({ v: 1, id, type: pick(random, UNKNOWN_TYPES) }));
    case 5:
      return Buffer.from(JSON.stringify({ v: pick(random, BAD_VERSIONS), id, type: 'list' }));
    case 6:
      return Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    default:
      return Buffer.from(JSON.stringify(wrongField(random, id)));
  }
}
