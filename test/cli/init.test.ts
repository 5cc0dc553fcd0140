import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('init writes ecosystem.config.ts that validates where node-unit is not installed', async (t) => {
  const cwd = tempDir('nu-init-');
  const init = await runCli(['init'], { cwd });
  t.is(init.code, 0);
  t.is(init.stdout, 'created ecosystem.config.ts\nnext: edit it, then node-unit validate and node-unit up\n');
  const written = fs.readFileSync(path.join(cwd, 'ecosystem.config.ts'), 'utf8');
  t.true(written.startsWith("import { defineConfig } from 'node-unit';"));
  t.false(fs.existsSync(path.join(cwd, 'node_modules')));
  fs.writeFileSync(path.join(cwd, 'server.js'), '');
  const validate = await runCli(['validate'], { cwd });
  t.is(validate.stderr, '');
  t.is(validate.stdout, 'ok: 1 app in ecosystem.config.ts\n');
  t.is(validate.code, 0);
});

test('init refuses to overwrite an existing ecosystem file', async (t) => {
  const cwd = tempDir('nu-init-');
  fs.writeFileSync(path.join(cwd, 'ecosystem.config.js'), 'module.exports = { apps: [] };\n');
  const result = await runCli(['init'], { cwd });
  t.is(result.code, 1);
  t.is(result.stderr, `error ecosystem.config.js already exists in ${cwd}; not overwriting it\n`);
  t.false(fs.existsSync(path.join(cwd, 'ecosystem.config.ts')));
  t.is(fs.readFileSync(path.join(cwd, 'ecosystem.config.js'), 'utf8'), 'module.exports = { apps: [] };\n');
});

test('init --dir writes into another folder, creating it', async (t) => {
  const cwd = tempDir('nu-init-');
  const result = await runCli(['init', '--dir', 'sub/app'], { cwd });
  t.is(result.code, 0);
  t.true(fs.existsSync(path.join(cwd, 'sub/app/ecosystem.config.ts')));
  t.is(result.stdout.split('\n')[0], `created ${path.join('sub', 'app', 'ecosystem.config.ts')}`);
});

test('init --json says what it wrote, or why not', async (t) => {
  const cwd = tempDir('nu-init-');
  const first = await runCli(['init', '--json'], { cwd });
  t.deepEqual(JSON.parse(first.stdout), { ok: true, file: path.join(cwd, 'ecosystem.config.ts') });
  const second = await runCli(['init', '--json'], { cwd });
  t.is(second.code, 1);
  t.like(JSON.parse(second.stdout), { ok: false, message: 'ecosystem.config.ts already exists' });
});
