import test from 'ava';
import { Staging, STAGE_BYTES } from '../../src/logs/staging.js';

const joined = (staging: Staging): string => Buffer.concat(staging.views()).toString();

test('staging copies bytes across its buffers, in order, and the copy outlives the source', (t) => {
  const staging = new Staging();
  const source = Buffer.alloc(STAGE_BYTES + 100, 'a');
  staging.append(source);
  staging.append(Buffer.from('tail'));
  source.fill('#');
  t.is(staging.bytes, STAGE_BYTES + 104);
  t.is(staging.views().length, 2);
  t.is(joined(staging), `${'a'.repeat(STAGE_BYTES + 100)}tail`);
  staging.release();
});

test('a prefix goes in front of each line, and of a last piece without a newline', (t) => {
  const staging = new Staging();
  staging.appendPrefixed(Buffer.from('one\ntwo\nthree'), Buffer.from('> '));
  t.is(joined(staging), '> one\n> two\n> three');
  staging.release();
});

test('released buffers are reused by the next staging, and an empty staging has no views', (t) => {
  const first = new Staging();
  first.append(Buffer.from('x'));
  const memory = first.views()[0]?.buffer;
  first.release();
  t.deepEqual(first.views(), []);
  t.is(first.bytes, 0);
  const second = new Staging();
  second.append(Buffer.from('y'));
  t.is(second.views()[0]?.buffer, memory);
  t.is(joined(second), 'y');
  second.release();
});
