import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { loadConfig } from '../../src/config/load.js';
import { appNamed, loadFiles } from '../helpers/config.js';
import { PROJECT_ROOT, tempDir, writeFiles } from '../helpers/tmp.js';

test('a pm2 CommonJS file that requires node-unit loads where node-unit is not installed', async (t) => {
  const loaded = await loadFiles({
    'ecosystem.config.js': `const { defineConfig } = require('node-unit');\nmodule.exports = defineConfig({ apps: [{ name: 'api', script: 'a.js' }] });\n`,
  });
  t.is(appNamed(loaded, 'api').name, 'api');
});

test('files a CommonJS config requires are read afresh at the next load', async (t) => {
  const dir = tempDir('nu-config-');
  writeFiles(dir, {
    'ecosystem.config.cjs': `const ports = require('./ports.cjs');\nmodule.exports = { apps: [{ name: 'api', script: 'a.js', env: { PORT: String(ports.api) } }] };\n`,
    'ports.cjs': `module.exports = { api: 3000 };\n`,
  });
  const first = await loadConfig({ cwd: dir, env: {} });
  fs.writeFileSync(path.join(dir, 'ports.cjs'), `module.exports = { api: 4000 };\n`);
  const second = await loadConfig({ cwd: dir, env: {} });
  t.is(appNamed(first, 'api').env.PORT, '3000');
  t.is(appNamed(second, 'api').env.PORT, '4000');
});

test('ESM syntax in a .js file still loads (through the transpiler)', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.js': `export default { apps: [{ name: 'web', script: 'a.js' }] };\n` });
  t.is(appNamed(loaded, 'web').name, 'web');
});

test('loading a pm2 CommonJS config does not load the transpiler', (t) => {
  const dir = tempDir('nu-config-');
  writeFiles(dir, { 'ecosystem.config.js': `module.exports = { apps: [{ name: 'api', script: 'a.js' }] };\n` });
  const probe = `
    import { createRequire } from 'node:module';
    const { loadConfig } = await import(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'src', 'config', 'load.js'))});
    const loaded = await loadConfig({ cwd: ${JSON.stringify(dir)}, env: {} });
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ apps: loaded.apps.length, jiti: cache.some((file) => file.includes('/jiti/')) }));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', timeout: 20_000 });
  t.is(result.status, 0, result.stderr);
  t.deepEqual(JSON.parse(result.stdout) as unknown, { apps: 1, jiti: false });
});
