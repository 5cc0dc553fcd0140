import test from 'ava';
import { closest, editDistance } from '../../src/util/suggest.js';

test('edit distance counts insertions, deletions and substitutions', (t) => {
  t.is(editDistance('', ''), 0);
  t.is(editDistance('abc', ''), 3);
  t.is(editDistance('', 'abc'), 3);
  t.is(editDistance('kitten', 'sitting'), 3);
  t.is(editDistance('max_restart', 'max_restarts'), 1);
});

test('a swap of two neighbouring letters is one edit', (t) => {
  t.is(editDistance('wacth', 'watch'), 1);
  t.is(editDistance('ab', 'ba'), 1);
  t.is(editDistance('ca', 'abc'), 3);
});

test('closest finds a near miss, case-insensitively', (t) => {
  const keys = ['max_restarts', 'min_uptime', 'kill_timeout', 'watch', 'instances'];
  t.is(closest('max_restart', keys), 'max_restarts');
  t.is(closest('kill_temeout', keys), 'kill_timeout');
  t.is(closest('Instances', keys), 'instances');
  t.is(closest('wacth', keys), 'watch');
});

test('closest gives nothing when nothing is close', (t) => {
  t.is(closest('frobnicate', ['max_restarts', 'watch']), undefined);
  t.is(closest('x', []), undefined);
  t.is(closest('ab', ['xy']), undefined);
});

test('the allowed distance grows with the word, up to 3', (t) => {
  t.is(closest('ab', ['ac']), 'ac');
  t.is(closest('abcdef', ['abxyef']), 'abxyef');
  t.is(closest('abcdefghijkl', ['abcxyzghijkl']), 'abcxyzghijkl');
  t.is(closest('abcdefghijkl', ['wxyzefghijkl']), undefined);
});
