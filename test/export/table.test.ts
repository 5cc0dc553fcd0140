import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { APP_KEYS, PM2_ONLY_KEYS } from '../../src/config/schema.js';
import { PROJECT_ROOT } from '../helpers/tmp.js';
import { EXPORT_TARGETS } from '../../src/export/index.js';
import { TRANSLATION } from '../../src/export/table.js';

/** env_file is checked beside the table of keys (it may be a string or a list). */
const KEYS = [...APP_KEYS, 'env_file'];

test('every key an app can have says what it becomes in every target', (t) => {
  t.deepEqual(KEYS.filter((key) => TRANSLATION[key] === undefined), []);
  t.deepEqual(Object.keys(TRANSLATION).filter((key) => !KEYS.includes(key)), []);
  for (const row of Object.values(TRANSLATION)) t.deepEqual(Object.keys(row).sort(), [...EXPORT_TARGETS].sort());
});

test("README's table of what translates names every key", (t) => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### What translates');
  const table = readme.slice(start, readme.indexOf('\n## ', start));
  t.true(start > 0);
  const pm2Only = [...PM2_ONLY_KEYS].filter((key) => !['watch_options', 'log_type'].includes(key));
  t.deepEqual(KEYS.filter((key) => !pm2Only.includes(key) && !table.includes(`\`${key}\``)), []);
});
