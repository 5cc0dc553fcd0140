import test from 'ava';
import { asJson, isExactJson } from '../../src/plugin/json-value.js';

const roundTrip = (value: unknown): unknown => {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
};

test('plain JSON data is passed on as it is, without a copy of its strings', (t) => {
  const reply = { id: 'f1', items: [{ kind: 'run', run: { seq: 1, count: 2, text: 'x'.repeat(100_000) + '\n' + 'y' } }, { kind: 'dropped', count: 3 }], done: false, nothing: null };
  t.true(isExactJson(reply));
  const out = asJson(reply);
  t.true(out.ok && out.value === reply);
  t.deepEqual(out.ok ? out.value : undefined, roundTrip(reply));
});

const inexact: readonly [string, unknown][] = [
  ['a Date', { at: new Date(0) }],
  ['an undefined field', { a: 1, b: undefined }],
  ['NaN', [Number.NaN]],
  ['Infinity', { n: Number.POSITIVE_INFINITY }],
  ['-0', { n: -0 }],
  ['a class instance', { m: new Map([[1, 2]]) }],
  ['a toJSON', { v: { toJSON: () => 'shown' } }],
  ['a sparse array', [1, , 3]],
  ['a symbol key', { [Symbol('s')]: 1, a: 2 }],
  ['a non-enumerable field', Object.defineProperty({ a: 1 }, 'hidden', { value: 2, enumerable: false })],
  ['a function field', { f: () => 1 }],
  ['a getter', Object.defineProperty({}, 'g', { get: () => 5, enumerable: true })],
];

for (const [what, value] of inexact) {
  test(`a value with ${what} reads as its JSON round trip`, (t) => {
    t.false(isExactJson(value));
    const out = asJson(value);
    t.true(out.ok);
    t.deepEqual(out.ok ? out.value : undefined, roundTrip(value));
  });
}

test('a cycle or a bigint cannot be sent as JSON and is refused, not thrown', (t) => {
  const cycle: { self?: unknown } = {};
  cycle.self = cycle;
  t.false(asJson(cycle).ok);
  t.false(asJson({ n: 1n }).ok);
});

test('a value nested deeper than JSON data from a plugin plausibly is, is still answered by a round trip', (t) => {
  let deep: unknown = 'leaf';
  for (let i = 0; i < 200; i++) deep = { d: deep };
  t.false(isExactJson(deep));
  const out = asJson(deep);
  t.true(out.ok);
  t.deepEqual(out.ok ? out.value : undefined, deep);
});
