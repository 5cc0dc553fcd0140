import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { ownModules } from '../../src/config/own-package.js';
import { loadError, loadFiles } from '../helpers/config.js';
import { PROJECT_ROOT } from '../helpers/tmp.js';

const VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const ESM = `import { defineConfig, definePlugin } from 'node-unit';
import pkg from 'node-unit/package.json';
export default defineConfig({
  apps: [{ name: 'api', script: 'server.js' }],
  plugins: [definePlugin({ name: 'probe-' + pkg.version.replace(/\\./g, '-'), started() {} })],
});
`;

const CJS = `const { definePlugin } = require('node-unit');
const pkg = require('node-unit/package.json');
module.exports = { apps: [{ name: 'api', script: 'server.js' }], plugins: [definePlugin({ name: 'probe-' + pkg.version.replace(/\\./g, '-'), started() {} })] };
`;

const expected = `probe-${VERSION.replace(/\./g, '-')}`;

for (const [file, source] of [['ecosystem.config.ts', ESM], ['ecosystem.config.mjs', ESM], ['ecosystem.config.cjs', CJS]] as const) {
  test(`${file}: node-unit and a node-unit/<subpath> export resolve from a folder where node-unit is not installed, and plugins load`, async (t) => {
    const loaded = await loadFiles({ [file]: source });
    t.deepEqual(loaded.plugins.map((p) => p.name), [expected]);
    t.is(typeof loaded.plugins[0]?.started, 'function');
  });
}

test("every export of node-unit's package.json is a specifier a config can import, most specific first", (t) => {
  const modules = ownModules();
  t.deepEqual(Object.keys(modules), ['node-unit/package.json', 'node-unit/federation', 'node-unit']);
  t.is(modules['node-unit/federation'], path.join(PROJECT_ROOT, 'dist', 'plugins', 'federation', 'index.js'));
  t.is(modules['node-unit'], path.join(PROJECT_ROOT, 'dist', 'src', 'index.js'));
});

test('a JSON config cannot hold plugins, and says where to put them', async (t) => {
  const error = await loadError({ 'ecosystem.config.json': JSON.stringify({ apps: [{ script: 'a.js' }], plugins: [{ name: 'x' }] }) });
  t.deepEqual(error.issues, [{ severity: 'error', path: 'plugins', message: 'a JSON config cannot hold plugins: a plugin is code', hint: 'move the config to ecosystem.config.js or .ts and import the plugin there' }]);
});

test('package.json files list what the build makes, and the federation export points into it', (t) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, { default?: string } | string> };
  const federation = manifest.exports['./federation'];
  t.is(typeof federation === 'object' ? federation.default : federation, './dist/plugins/federation/index.js');
  t.true(manifest.files.includes('dist/plugins'));
  const tsconfig = fs.readFileSync(path.join(PROJECT_ROOT, 'tsconfig.json'), 'utf8');
  t.true(tsconfig.includes('"plugins/**/*"'));
});
