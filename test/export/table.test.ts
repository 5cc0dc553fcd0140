import test from 'ava';
import { APP_KEYS } from '../../src/config/schema.js';
import { EXPORT_TARGETS } from '../../src/export/index.js';
import { TRANSLATION } from '../../src/export/table.js';

/** env_file is checked beside the table of keys (it may be a string or a list). */
const KEYS = [...APP_KEYS, 'env_file'];

test('every key an app can have says what it becomes in every target', (t) => {
  t.deepEqual(KEYS.filter((key) => TRANSLATION[key] === undefined), []);
  t.deepEqual(Object.keys(TRANSLATION).filter((key) => !KEYS.includes(key)), []);
  for (const row of Object.values(TRANSLATION)) t.deepEqual(Object.keys(row).sort(), [...EXPORT_TARGETS].sort());
});
