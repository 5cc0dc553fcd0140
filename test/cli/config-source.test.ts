import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { fileConfigSource } from '../../src/cli/config-source.js';
import { FIXTURES, tempDir } from '../helpers/tmp.js';

const config = (name: string): string => `module.exports = { apps: [{ name: '${name}', script: '${path.join(FIXTURES, 'procs', 'forever.js')}' }] };\n`;

function project(): { readonly dir: string; readonly file: string } {
  const dir = tempDir('nu-config-source-');
  const file = path.join(dir, 'ecosystem.config.cjs');
  fs.writeFileSync(file, config('api'));
  return { dir, file };
}

test('the stale note follows the contents: an edit is noted, undoing it or saving the same bytes is not', (t) => {
  const { dir, file } = project();
  const source = fileConfigSource(file, { cwd: dir });
  t.is(source.staleNote(), undefined);
  fs.writeFileSync(file, config('web'));
  t.regex(source.staleNote() ?? '', /^ecosystem\.config\.cjs changed since it was loaded; 'node-unit reload' applies it/);
  fs.writeFileSync(file, config('api'));
  t.is(source.staleNote(), undefined);
  fs.writeFileSync(file, config('api'));
  t.is(source.staleNote(), undefined);
});

test('an edit of the same size is noted; a deleted file is noted', (t) => {
  const { dir, file } = project();
  const source = fileConfigSource(file, { cwd: dir });
  fs.writeFileSync(file, config('abc'));
  t.truthy(source.staleNote());
  fs.rmSync(file);
  t.truthy(source.staleNote());
});

test('after a reload the loaded contents are the new reference', async (t) => {
  const { dir, file } = project();
  const source = fileConfigSource(file, { cwd: dir });
  fs.writeFileSync(file, config('web'));
  t.truthy(source.staleNote());
  const loaded = await source.load();
  t.true(loaded.ok);
  t.is(source.staleNote(), undefined);
});
