import fs from 'node:fs';
import test from 'ava';
import { loadConfig } from '../../src/config/load.js';
import { appNamed, loadFiles } from '../helpers/config.js';

const TS_CONFIG = `import { defineConfig } from 'node-unit';
interface Extra { readonly port: number }
const extra: Extra = { port: 3000 };
export default defineConfig({
  apps: [{ name: 'api', script: 'server.js', env: { PORT: extra.port } }],
});
`;

test('a typed .ts importing defineConfig from node-unit loads where node-unit is not installed', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.ts': TS_CONFIG });
  t.true(loaded.file.endsWith('ecosystem.config.ts'));
  t.deepEqual(appNamed(loaded, 'api').env, { PORT: '3000' });
});

test('.mts loads', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.mts': TS_CONFIG });
  t.is(appNamed(loaded, 'api').script, 'server.js');
});

test('.cts loads (CommonJS TypeScript)', async (t) => {
  const loaded = await loadFiles({
    'ecosystem.config.cts': `const apps: { name: string; script: string }[] = [{ name: 'cts', script: 'a.js' }];\nmodule.exports = { apps };\n`,
  });
  t.is(appNamed(loaded, 'cts').script, 'a.js');
});

test('a pm2 module.exports .js loads inside a "type": "module" package', async (t) => {
  const loaded = await loadFiles({
    'package.json': JSON.stringify({ name: 'x', type: 'module' }),
    'ecosystem.config.js': `const path = require('path');\nmodule.exports = {\n  apps: [{ name: 'web', script: path.join(__dirname, 'web.js'), instances: 1 }],\n};\n`,
  });
  const app = appNamed(loaded, 'web');
  t.is(app.script, `${loaded.dir}/web.js`);
});

test('.cjs loads', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.cjs': `module.exports = { apps: [{ name: 'c', script: 'c.js' }] };\n` });
  t.is(appNamed(loaded, 'c').script, 'c.js');
});

test('.mjs with export default loads', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.mjs': `export default { apps: [{ name: 'm', script: 'm.js' }] };\n` });
  t.is(appNamed(loaded, 'm').script, 'm.js');
});

test('.mjs with export const apps loads', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.mjs': `export const apps = [{ name: 'named', script: 'n.js' }];\n` });
  t.deepEqual(loaded.apps.map((a) => a.name), ['named']);
});

test('.json with an apps array loads', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.json': `{ "apps": [{ "name": "j", "script": "j.js" }] }` });
  t.is(appNamed(loaded, 'j').script, 'j.js');
});

test('.json with comments and trailing commas loads, as in pm2', async (t) => {
  const loaded = await loadFiles({
    'ecosystem.json': `{\n  // the API\n  "apps": [\n    { "name": "j", "script": "j.js", /* inline */ },\n  ],\n}\n`,
  });
  t.is(appNamed(loaded, 'j').script, 'j.js');
});

test('.json holding one app object with no apps key loads (process.json)', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.json': `{ "name": "solo", "script": "solo.js" }` });
  t.deepEqual(loaded.apps.map((a) => a.name), ['solo']);
});

test('.json holding a bare array of apps loads', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.json': `[{ "name": "a", "script": "a.js" }, { "name": "b", "script": "b.js" }]` });
  t.deepEqual(loaded.apps.map((a) => a.name), ['a', 'b']);
});

test('a config exporting a sync function receives { profile, env, configDir }', async (t) => {
  const loaded = await loadFiles(
    {
      'ecosystem.config.js': `module.exports = (ctx) => ({ apps: [{ name: 'f', script: 'f.js', env: { PROFILE: ctx.profile, FROM_ENV: ctx.env.MY_VAR, DIR: ctx.configDir } }] });\n`,
    },
    { profile: 'staging', env: { MY_VAR: 'hello' } },
  );
  t.deepEqual(appNamed(loaded, 'f').env, { PROFILE: 'staging', FROM_ENV: 'hello', DIR: loaded.dir });
});

test('a config exporting an async function is awaited', async (t) => {
  const loaded = await loadFiles({
    'ecosystem.config.ts': `import { defineConfig } from 'node-unit';
export default defineConfig(async ({ configDir }) => {
  await new Promise((resolve) => setImmediate(resolve));
  return { apps: [{ name: 'async', script: 'a.js', cwd: configDir }] };
});
`,
  });
  t.is(appNamed(loaded, 'async').cwd, loaded.dir);
});

test('export default of a Promise is awaited', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.mjs': `export default Promise.resolve({ apps: [{ name: 'p', script: 'p.js' }] });\n` });
  t.deepEqual(loaded.apps.map((a) => a.name), ['p']);
});

test('a .ts config imports local TypeScript modules and packages installed beside it', async (t) => {
  const loaded = await loadFiles({
    'node_modules/fake-dotenv/package.json': JSON.stringify({ name: 'fake-dotenv', main: 'index.js' }),
    'node_modules/fake-dotenv/index.js': `exports.config = () => ({ parsed: { FROM_PACKAGE: 'yes' } });\n`,
    'config/common.ts': `export const common = { max_restarts: 3, env: { SHARED: '1' } } as const;\n`,
    'ecosystem.config.ts': `import { defineConfig } from 'node-unit';
import dotenv from 'fake-dotenv';
import { common } from './config/common';
const { parsed } = dotenv.config();
export default defineConfig({ apps: [{ ...common, name: 'api', script: 'a.js', env: { ...common.env, ...parsed } }] });
`,
  });
  t.like(appNamed(loaded, 'api'), { maxRestarts: 3, env: { SHARED: '1', FROM_PACKAGE: 'yes' } });
});

test('a config is loaded afresh each time (no module cache)', async (t) => {
  const first = await loadFiles({ 'ecosystem.config.cjs': `module.exports = { apps: [{ name: 'one', script: 'a.js' }] };\n` });
  fs.writeFileSync(first.file, `module.exports = { apps: [{ name: 'two', script: 'a.js' }] };\n`);
  const second = await loadConfig({ cwd: first.dir, env: {} });
  t.deepEqual(second.apps.map((a) => a.name), ['two']);
});

test('.mjs with top-level await and import.meta.url loads', async (t) => {
  const loaded = await loadFiles({
    'ecosystem.config.mjs': `import path from 'node:path';
import { fileURLToPath } from 'node:url';
const dir = path.dirname(fileURLToPath(import.meta.url));
const port = await Promise.resolve(4000);
export default { apps: [{ name: 'tla', script: path.join(dir, 'a.js'), env: { PORT: port } }] };
`,
  });
  t.like(appNamed(loaded, 'tla'), { script: `${loaded.dir}/a.js`, env: { PORT: '4000' } });
});
