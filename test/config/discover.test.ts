import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { brief } from '../helpers/config.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const app = (name: string): string => `module.exports = { apps: [{ name: '${name}', script: 'x.js' }] };\n`;

test('discovery walks up from a subfolder', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.js': app('root'), 'packages/api/src/.keep': '' });
  const loaded = await loadConfig({ cwd: path.join(dir, 'packages/api/src'), env: {} });
  t.is(loaded.file, path.join(dir, 'ecosystem.config.js'));
  t.is(loaded.configDir, dir);
});

test('the nearest folder wins over a parent', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.js': app('parent'), 'sub/ecosystem.config.cjs': app('child') });
  const loaded = await loadConfig({ cwd: path.join(dir, 'sub'), env: {} });
  t.deepEqual(loaded.apps.map((a) => a.name), ['child']);
});

test('discovery priority: .ts, .mts, .cts, .js, .mjs, .cjs, .json, ecosystem.json, pm2.config.js', async (t) => {
  const order = ['ecosystem.config.ts', 'ecosystem.config.mts', 'ecosystem.config.cts', 'ecosystem.config.js', 'ecosystem.config.mjs', 'ecosystem.config.cjs', 'ecosystem.config.json', 'ecosystem.json', 'pm2.config.js'];
  const dir = tempDir();
  for (const name of order) {
    writeFiles(dir, { [name]: name.endsWith('json') ? JSON.stringify({ apps: [{ name: name.replace(/\W/g, '-'), script: 'x.js' }] }) : name.endsWith('mjs') ? `export default { apps: [{ name: '${name.replace(/\W/g, '-')}', script: 'x.js' }] };\n` : app(name.replace(/\W/g, '-')) });
  }
  for (const name of order) {
    const loaded = await loadConfig({ cwd: dir, env: {} });
    t.is(path.basename(loaded.file), name);
    fs.rmSync(path.join(dir, name));
  }
});

test('--config pointing to a folder uses the ecosystem file inside it', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'deploy/ecosystem.config.cjs': app('deployed') });
  const loaded = await loadConfig({ cwd: dir, configPath: 'deploy', env: {} });
  t.is(loaded.file, path.join(dir, 'deploy', 'ecosystem.config.cjs'));
});

test('--config pointing to a file with any name loads it', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'conf/prod.config.js': app('prod') });
  const loaded = await loadConfig({ cwd: dir, configPath: 'conf/prod.config.js', env: {} });
  t.deepEqual(loaded.apps.map((a) => a.name), ['prod']);
});

test('--config to a folder without an ecosystem file names the folder', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'empty/.keep': '' });
  const error = await t.throwsAsync(loadConfig({ cwd: dir, configPath: 'empty', env: {} }), { instanceOf: ConfigError });
  t.is(error?.file, path.join(dir, 'empty'));
  t.deepEqual(brief(error?.issues ?? []), [
    {
      severity: 'error',
      path: '',
      message: 'no ecosystem file in this folder',
      hint: 'looked for ecosystem.config.ts, ecosystem.config.mts, ecosystem.config.cts, ecosystem.config.js, ecosystem.config.mjs, ecosystem.config.cjs, ecosystem.config.json, ecosystem.json, pm2.config.js, pm2.config.cjs, ecosystem.config.yml, ecosystem.config.yaml, ecosystem.yml, ecosystem.yaml',
    },
  ]);
});

test('--config to a missing path says so', async (t) => {
  const dir = tempDir();
  const error = await t.throwsAsync(loadConfig({ cwd: dir, configPath: 'nope.js', env: {} }), { instanceOf: ConfigError });
  t.is(error?.file, path.join(dir, 'nope.js'));
  t.deepEqual(brief(error?.issues ?? []), [{ severity: 'error', path: '', message: 'no such file', hint: 'check the --config path' }]);
});

test('a missing config names the folder and suggests node-unit init', async (t) => {
  const dir = tempDir();
  const error = await t.throwsAsync(loadConfig({ cwd: dir, env: {} }), { instanceOf: ConfigError });
  t.deepEqual(brief(error?.issues ?? []), [
    { severity: 'error', path: '', message: `no ecosystem file found in ${dir} or its parents`, hint: "create one with 'node-unit init', or pass --config PATH" },
  ]);
});
