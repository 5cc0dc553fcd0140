import test from 'ava';
import { brief, loadError } from '../helpers/config.js';

test('a config that throws while loading reports file, line and cause', async (t) => {
  const error = await loadError({
    'ecosystem.config.js': `const url = process.env.DATABASE_URL;\nif (!url) {\n  throw new Error('DATABASE_URL is missing');\n}\nmodule.exports = { apps: [] };\n`,
  });
  t.deepEqual(brief(error.issues), [{ severity: 'error', path: '', message: 'ecosystem.config.js:3:9: threw while loading: DATABASE_URL is missing' }]);
});

test('a .ts config that throws reports its own line', async (t) => {
  const error = await loadError({
    'ecosystem.config.ts': `import { defineConfig } from 'node-unit';\nconst port: number = Number(process.env.NOPE ?? 'x');\nif (Number.isNaN(port)) throw new TypeError('PORT is not a number');\nexport default defineConfig({ apps: [{ script: 'a.js' }] });\n`,
  });
  t.deepEqual(brief(error.issues), [{ severity: 'error', path: '', message: 'ecosystem.config.ts:3:31: threw while loading: TypeError: PORT is not a number' }]);
});

test('a config function that throws is reported with its line', async (t) => {
  const error = await loadError({
    'ecosystem.config.cjs': `module.exports = () => {\n  throw new Error('no apps today');\n};\n`,
  });
  t.deepEqual(brief(error.issues), [{ severity: 'error', path: '', message: 'ecosystem.config.cjs:2:9: threw while loading: no apps today' }]);
});

test('a syntax error reports file:line:column, counted from 1', async (t) => {
  const error = await loadError({ 'ecosystem.config.js': `module.exports = {\n  apps: [\n    { name: 'a' script: 'a.js' },\n  ],\n};\n` });
  t.deepEqual(brief(error.issues), [{ severity: 'error', path: '', message: 'ecosystem.config.js:3:17: syntax error: Unexpected token, expected ","' }]);
});

test('a syntax error in a .ts config reports file:line:column', async (t) => {
  const error = await loadError({ 'ecosystem.config.ts': `import { defineConfig } from 'node-unit';\nexport default defineConfig({\n  apps: [{ script: 'a.js', }}],\n});\n` });
  t.deepEqual(brief(error.issues), [{ severity: 'error', path: '', message: 'ecosystem.config.ts:3:29: syntax error: Unexpected token, expected ","' }]);
});

test('invalid JSON reports file:line:column', async (t) => {
  const error = await loadError({ 'ecosystem.config.json': `{\n  "apps": [\n    { "name": "a" "script": "a.js" }\n  ]\n}\n` });
  t.deepEqual(brief(error.issues), [{ severity: 'error', path: '', message: "ecosystem.config.json:3:19: invalid JSON: Expected ',' or '}' after property value" }]);
});

test('importing a missing package hints to install it', async (t) => {
  const error = await loadError({ 'ecosystem.config.js': `require('dotenv-not-installed-here').config();\nmodule.exports = { apps: [{ script: 'a.js' }] };\n` });
  t.deepEqual(brief(error.issues), [
    {
      severity: 'error',
      path: '',
      message: "ecosystem.config.js:1:1: threw while loading: Cannot find module 'dotenv-not-installed-here'",
      hint: 'install it (npm install dotenv-not-installed-here) or remove the import',
    },
  ]);
});

test('an ESM import of a missing package hints to install it', async (t) => {
  const error = await loadError({ 'ecosystem.config.mjs': `import x from 'missing-pkg-xyz';\nexport default { apps: [{ script: String(x) }] };\n` });
  t.is(error.issues[0]?.hint, 'install it (npm install missing-pkg-xyz) or remove the import');
});

test('a scoped missing package is named whole in the hint, without its subpath', async (t) => {
  const error = await loadError({ 'ecosystem.config.js': `require('@acme/config/env');\nmodule.exports = { apps: [{ script: 'a.js' }] };\n` });
  t.is(error.issues[0]?.hint, 'install it (npm install @acme/config) or remove the import');
});

test('a missing relative file is not something to npm install', async (t) => {
  const error = await loadError({ 'ecosystem.config.js': `const secrets = require('./secrets.json');\nmodule.exports = { apps: [{ script: 'a.js', env: secrets }] };\n` });
  t.deepEqual(brief(error.issues), [
    { severity: 'error', path: '', message: "ecosystem.config.js:1:17: threw while loading: Cannot find module './secrets.json'", hint: 'check the path, relative to the config file' },
  ]);
});

test('the error message carries the file and problem count', async (t) => {
  const error = await loadError({ 'ecosystem.config.json': JSON.stringify({ apps: [{ script: 'a.js', max_restarts: 'ten' }] }) });
  t.is(error.message, `${error.dir}/ecosystem.config.json: 1 problem\n  apps[0].max_restarts: expected a non-negative integer, got "ten" (string)`);
});

test('invalid JSON whose parser message has no position still names the line', async (t) => {
  const cut = await loadError({ 'ecosystem.config.json': `{\n  "apps": [\n` });
  t.deepEqual(brief(cut.issues), [{ severity: 'error', path: '', message: 'ecosystem.config.json:2:12: invalid JSON: Unexpected end of JSON input' }]);
  const token = await loadError({ 'ecosystem.config.json': `{\n  "apps": [ }}\n  ]\n}\n` });
  t.regex(token.issues[0]?.message ?? '', /^ecosystem\.config\.json:2(:\d+)?: invalid JSON: Unexpected token '}'/);
});

test('a getter in the config that throws while it is read is a config error with its line', async (t) => {
  const error = await loadError({ 'ecosystem.config.cjs': `module.exports = {\n  get apps() {\n    throw new Error('not yet');\n  },\n};\n` });
  t.deepEqual(brief(error.issues), [{ severity: 'error', path: '', message: 'ecosystem.config.cjs:3:11: threw while loading: not yet' }]);
});

test('export default null is refused as not a config, not as a loader failure', async (t) => {
  const error = await loadError({ 'ecosystem.config.mjs': 'export default null;\n' });
  t.regex(error.issues[0]?.message ?? '', /^expected an ecosystem config \(an object with an apps array\), got null/);
});
