import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { cjsConfig, pidOf, upProject } from '../helpers/control.js';
import { FIXTURES } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const proc = (name: string): string => path.join(FIXTURES, 'procs', name);

test('restart --update-env reads the env file and the config env again', async (t) => {
  const file = 'ecosystem.config.cjs';
  const app = (env: Record<string, string>) => ({ name: 'api', script: proc('env-dump.js'), env_file: '.env', env, kill_timeout: 1000 });
  const p = await upProject(t, { [file]: cjsConfig([app({ FROM_CONFIG: 'one' })]), '.env': 'FROM_FILE=one\n' });
  await p.status('api:0', 'online', 30_000);
  fs.writeFileSync(path.join(p.dir, '.env'), 'FROM_FILE=two\n');
  fs.writeFileSync(path.join(p.dir, file), cjsConfig([app({ FROM_CONFIG: 'two' })]));
  const specEnv = async () => {
    const described = await p.client.describe('api');
    return described.ok ? described.instances[0]?.spec.env : undefined;
  };
  const result = await runCli(['restart', 'api', '--update-env'], { cwd: p.dir });
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, 'restarted (env read again) api:0\n');
  t.deepEqual(await specEnv(), { FROM_FILE: 'two', FROM_CONFIG: 'two' });
  const env = await waitFor(async () => {
    const logs = await p.client.logs('api', { lines: 50 });
    const lines = logs.ok ? logs.lines.map((line) => line.line).filter((line) => line.startsWith('ENV ')) : [];
    return lines.length >= 2 ? (JSON.parse(lines.at(-1)?.slice(4) ?? '{}') as Record<string, string>) : undefined;
  }, { timeoutMs: 30_000 });
  t.like(env, { FROM_FILE: 'two', FROM_CONFIG: 'two' });
});

test('reload-logs reopens the log files after they were moved away', async (t) => {
  const app = { name: 'flood', script: proc('steady-flood.js'), args: ['50'], out_file: './out.log', kill_timeout: 1000 };
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([app]) });
  await p.status('flood:0', 'online', 30_000);
  const out = path.join(p.dir, 'out.log');
  await waitFor(() => fs.existsSync(out) && fs.statSync(out).size > 0, { timeoutMs: 30_000 });
  fs.renameSync(out, `${out}.1`);
  const result = await runCli(['reload-logs', '--json'], { cwd: p.dir });
  t.is(result.code, 0, result.stderr);
  t.like(JSON.parse(result.stdout), { ok: true });
  await waitFor(() => fs.existsSync(out) && fs.statSync(out).size > 0, { timeoutMs: 30_000, what: 'a fresh out.log' });
  t.pass();
});

test('start with pm2 flags and arguments; delete refuses a single instance', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([{ name: 'api', script: proc('forever.js'), kill_timeout: 1000 }]), 'dump.js': fs.readFileSync(proc('env-dump.js'), 'utf8') });
  const started = await runCli(['start', 'dump.js', '--name', 'dumper', '-i', '2', '--', 'hello'], { cwd: p.dir });
  t.is(started.code, 0, started.stderr);
  t.is(started.stdout, 'started dumper:0, dumper:1\n');
  const online = await p.status('dumper:1', 'online', 30_000);
  t.truthy(pidOf(online));
  const described = await p.client.describe('dumper:0');
  t.like(described.ok ? described.instances[0]?.spec : undefined, { args: ['hello'], instances: 2, adhoc: true });
  const twice = await runCli(['start', 'dump.js', '--name', 'dumper'], { cwd: p.dir });
  t.is(twice.code, 1);
  t.regex(twice.stderr, /an app named "dumper" is already running/);
  const one = await runCli(['delete', 'dumper:1'], { cwd: p.dir });
  t.is(one.code, 1);
  t.regex(one.stderr, /delete removes whole apps; to remove instances of dumper, use 'node-unit scale'/);
  const fromConfig = await runCli(['delete', 'api'], { cwd: p.dir });
  t.is(fromConfig.code, 0);
  t.regex(fromConfig.stderr, /api is still in the config file: 'node-unit reload' starts it again/);
});
