import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

/** A project with the files, and the scripts its configs name (a.js, b.js, w.js), so they start. */
function project(files: Readonly<Record<string, string>>): string {
  const dir = tempDir('nu-cli-');
  writeFiles(dir, { 'a.js': '', 'b.js': '', 'w.js': '', ...files });
  return dir;
}

const json = (value: unknown): Readonly<Record<string, string>> => ({ 'ecosystem.config.json': JSON.stringify(value) });

test('validate: a good config prints ok with the app count and exits 0', async (t) => {
  const cwd = project(json({ apps: [{ name: 'api', script: 'a.js' }, { name: 'worker', script: 'w.js' }] }));
  const result = await runCli(['validate'], { cwd });
  t.is(result.stdout, 'ok: 2 apps in ecosystem.config.json\n');
  t.is(result.stderr, '');
  t.is(result.code, 0);
});

test('validate: instances are counted when they differ from apps', async (t) => {
  const cwd = project(json({ apps: [{ name: 'api', script: 'a.js', instances: 3 }] }));
  const result = await runCli(['validate'], { cwd });
  t.is(result.stdout, 'ok: 1 app, 3 instances in ecosystem.config.json\n');
  t.is(result.code, 0);
});

test('validate: warnings go to stderr and are counted; --strict turns them into exit 1', async (t) => {
  const cwd = project(json({ apps: [{ name: 'api', script: 'a.js', max_restart: 3 }] }));
  const warning = 'warning ecosystem.config.json: apps[0].max_restart: unknown key, ignored — did you mean "max_restarts"?\n';
  const loose = await runCli(['validate'], { cwd });
  t.is(loose.stdout, 'ok: 1 app, 1 warning in ecosystem.config.json\n');
  t.is(loose.stderr, warning);
  t.is(loose.code, 0);
  const strict = await runCli(['validate', '--strict'], { cwd });
  t.is(strict.stdout, 'not ok: 1 app, 1 warning (--strict) in ecosystem.config.json\n');
  t.is(strict.stderr, warning);
  t.is(strict.code, 1);
});

test('validate: --strict with no warnings is ok', async (t) => {
  const cwd = project(json({ apps: [{ name: 'api', script: 'a.js' }] }));
  const result = await runCli(['validate', '--strict'], { cwd });
  t.is(result.code, 0);
  t.is(result.stdout, 'ok: 1 app in ecosystem.config.json\n');
});

test('validate: an invalid config exits 1 with every problem on stderr', async (t) => {
  const cwd = project(json({ apps: [{ name: 'api', script: 'a.js', max_restarts: 'ten', vizion: true }, { name: 'api', script: 'b.js' }] }));
  const result = await runCli(['validate'], { cwd });
  t.is(result.code, 1);
  t.is(result.stdout, '');
  t.is(
    result.stderr,
    [
      'error ecosystem.config.json: 2 problems',
      '  apps[0].max_restarts: expected a non-negative integer, got "ten" (string)',
      '  apps[1].name: duplicate app name "api" (also apps[0]) — app names must be unique',
      'warning ecosystem.config.json: apps[0].vizion: pm2 option with no effect in node-unit, ignored',
      '',
    ].join('\n'),
  );
});

test('validate: a config that throws names the file and line', async (t) => {
  const cwd = project({ 'ecosystem.config.js': `if (!process.env.DATABASE_URL) {\n  throw new Error('DATABASE_URL is missing');\n}\nmodule.exports = { apps: [] };\n` });
  const result = await runCli(['validate'], { cwd, env: { DATABASE_URL: undefined } });
  t.is(result.code, 1);
  t.is(result.stderr, 'error ecosystem.config.js: 1 problem\n  ecosystem.config.js:2:9: threw while loading: DATABASE_URL is missing\n');
});

test('validate: no config found exits 1 and suggests node-unit init', async (t) => {
  const cwd = project({});
  const result = await runCli(['validate'], { cwd });
  t.is(result.code, 1);
  t.is(result.stderr, `error no ecosystem file found in ${cwd} or its parents — create one with 'node-unit init', or pass --config PATH\n`);
});

test('validate --config points at a file elsewhere', async (t) => {
  const dir = project({ 'deploy/prod.config.js': `module.exports = { apps: [{ script: 'a.js' }] };\n`, 'deploy/a.js': '', 'work/.keep': '' });
  const result = await runCli(['validate', '--config', '../deploy/prod.config.js'], { cwd: `${dir}/work` });
  t.is(result.stdout, 'ok: 1 app in ../deploy/prod.config.js\n');
  t.is(result.code, 0);
});

test('validate: a script file that does not exist, or is not executable, is a warning naming what the start would say', async (t) => {
  const cwd = project({ ...json({ apps: [{ name: 'api', script: './src/missing.js' }, { name: 'tool', script: './tool', interpreter: 'none' }] }), tool: 'echo hi\n' });
  const result = await runCli(['validate'], { cwd });
  t.is(result.code, 0);
  t.is(result.stdout, 'ok: 2 apps, 2 warnings in ecosystem.config.json\n');
  t.is(
    result.stderr,
    [
      `warning ecosystem.config.json: apps[0].script: script ${cwd}/src/missing.js does not exist (the app "api" would not start)`,
      `warning ecosystem.config.json: apps[1].script: ${cwd}/tool exists but is not executable (chmod +x it, or set an interpreter) (the app "tool" would not start)`,
      '',
    ].join('\n'),
  );
  t.is((await runCli(['validate', '--strict'], { cwd })).code, 1);
});
