import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { PROJECT_ROOT, tempDir } from '../helpers/tmp.js';

function packageVersion(): string {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
  if (typeof raw === 'object' && raw !== null && 'version' in raw && typeof raw.version === 'string') return raw.version;
  throw new Error('package.json has no version');
}

test('--version prints the package version', async (t) => {
  for (const flag of ['--version', '-v']) {
    const result = await runCli([flag]);
    t.is(result.stdout, `${packageVersion()}\n`);
    t.is(result.code, 0);
  }
});

test('--help of the program and of every command has examples', async (t) => {
  for (const args of [['--help'], ['validate', '--help'], ['config', '--help'], ['init', '--help'], ['help', 'validate']]) {
    const result = await runCli(args);
    t.is(result.code, 0, args.join(' '));
    t.true(result.stdout.includes('\nExamples:\n  $ node-unit '), args.join(' '));
  }
});

test('no arguments prints the help and exits 0', async (t) => {
  const result = await runCli([]);
  t.is(result.code, 0);
  t.true(result.stdout.startsWith('Usage: node-unit [options] [command]'));
});

test('an unknown command exits 2 with a suggestion', async (t) => {
  const result = await runCli(['valdate'], { cwd: tempDir() });
  t.is(result.code, 2);
  t.is(result.stdout, '');
  t.is(result.stderr, "error: unknown command 'valdate'\n(Did you mean validate?)\n(run node-unit --help for usage)\n");
});

test('an unknown option exits 2 with a suggestion when one is close', async (t) => {
  const cwd = tempDir();
  const unknown = await runCli(['validate', '--bogus'], { cwd });
  t.is(unknown.code, 2);
  t.is(unknown.stderr, "error: unknown option '--bogus'\n(run node-unit --help for usage)\n");
  const close = await runCli(['validate', '--strit'], { cwd });
  t.is(close.code, 2);
  t.is(close.stderr, "error: unknown option '--strit'\n(Did you mean --strict?)\n(run node-unit --help for usage)\n");
});

test('a missing option value exits 2', async (t) => {
  const result = await runCli(['validate', '--config'], { cwd: tempDir() });
  t.is(result.code, 2);
  t.is(result.stderr, "error: option '-c, --config <path>' argument missing\n(run node-unit --help for usage)\n");
});

test('an extra argument exits 2', async (t) => {
  const result = await runCli(['validate', 'ecosystem.config.js'], { cwd: tempDir() });
  t.is(result.code, 2);
  t.is(result.stderr, "error: too many arguments for 'validate'. Expected 0 arguments but got 1.\n(run node-unit --help for usage)\n");
});
