import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { connectControl } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import type { InstanceInfo } from '../../src/model/events.js';
import { runCli } from '../helpers/cli.js';
import { parseRows } from '../helpers/control.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { startUp } from '../helpers/up.js';
import { waitFor } from '../helpers/wait.js';

const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, 'procs', name), 'utf8');

async function clientIn(dir: string) {
  return waitFor(() => connectControl(controlSocketPath(path.join(dir, '.node-unit'))).catch(() => undefined), { timeoutMs: 30_000, what: 'the control socket' });
}

const allOnline = (list: readonly InstanceInfo[], count: number): boolean => list.length === count && list.every((info) => info.state.status === 'online');

test('up server.js -i 2 --name web in an empty folder runs a supervisor; init --from-running writes its ecosystem file', async (t) => {
  const dir = tempDir('nu-noconfig-');
  writeFiles(dir, { 'server.js': fixture('forever.js') });
  const up = startUp(t, ['server.js', '-i', '2', '--name', 'web', '--listen-timeout', '500'], { cwd: dir });
  const client = await clientIn(dir);
  t.teardown(() => client.close());
  await waitFor(async () => allOnline(await client.list(), 2), { timeoutMs: 30_000, what: `web online; up said:\n${up.output()}` });
  const rows = parseRows((await runCli(['ls', '--json'], { cwd: dir })).stdout);
  t.deepEqual(rows.map((row) => row.id), ['web:0', 'web:1']);
  const described = await client.describe('web:0');
  t.like(described.ok ? described.instances[0]?.spec : undefined, { execMode: 'cluster', instances: 2, cwd: dir });
  t.true(fs.existsSync(path.join(dir, '.node-unit', 'logs')), 'logs in the folder up was typed in');
  t.regex((await runCli(['reload'], { cwd: dir })).stderr, /without an ecosystem file: 'node-unit init --from-running'/);

  const init = await runCli(['init', '--from-running'], { cwd: dir });
  t.is(init.code, 0, init.stderr);
  t.is(init.stdout, 'created ecosystem.config.js with 1 app: web\n');
  const validate = await runCli(['validate', '--json'], { cwd: dir });
  t.like(JSON.parse(validate.stdout), { ok: true, apps: 1, instances: 2, problems: [] });
  const again = await runCli(['init', '--from-running'], { cwd: dir });
  t.is(again.code, 1);
  t.regex(again.stderr, /ecosystem\.config\.js already exists/);

  const down = await runCli(['down', '--json'], { cwd: dir });
  t.like(JSON.parse(down.stdout), { ok: true, stopped: true });
  t.is((await up.exited).code, 0);
});

test('several scripts, --env-file and arguments after --', async (t) => {
  const dir = tempDir('nu-noconfig-');
  writeFiles(dir, { 'a.js': fixture('env-dump.js'), 'b.js': fixture('env-dump.js'), '.env': 'FROM_FILE=yes\n' });
  const up = startUp(t, ['a.js', 'b.js', '--env-file', '.env', '--', 'x', 'y z'], { cwd: dir });
  for (const name of ['a', 'b']) {
    const env = await up.waitForLine(new RegExp(`^${name} +\\| ENV `));
    t.is((JSON.parse(env.replace(/^.*?\| ENV /, '')) as Record<string, string>).FROM_FILE, 'yes');
    const argv = await up.waitForLine(new RegExp(`^${name} +\\| ARGV `));
    t.deepEqual(JSON.parse(argv.replace(/^.*?\| ARGV /, '')), ['x', 'y z']);
  }
  const bad = await runCli(['up', 'missing-flag.js', '-i', 'lots'], { cwd: tempDir() });
  t.is(bad.code, 2);
  t.regex(bad.stderr, /instances: expected a number of instances/);
});

test("pm2's words are answered with ours", async (t) => {
  const expected: Readonly<Record<string, RegExp>> = {
    monit: /'node-unit attach'/,
    kill: /'node-unit down'/,
    jlist: /'node-unit ls --json'/,
    show: /'node-unit describe <app>'/,
    sendSignal: /'node-unit signal <signal> <app>'/,
    reloadLogs: /'node-unit reload-logs'/,
    save: /no daemon .*init --from-running/,
    resurrect: /no daemon .*'node-unit up'/,
  };
  for (const [word, answer] of Object.entries(expected)) {
    const result = await runCli([word], { cwd: tempDir() });
    t.is(result.code, 2, word);
    t.regex(result.stderr, new RegExp(`^node-unit has no '${word}' \\(a pm2 command\\): `), word);
    t.regex(result.stderr, answer, word);
  }
});

test('completion scripts for bash, zsh and fish; bash completes verbs and the running app names', async (t) => {
  const dir = tempDir('nu-noconfig-');
  writeFiles(dir, { 'worker.js': fixture('forever.js') });
  startUp(t, ['worker.js', '--name', 'jobs'], { cwd: dir });
  const client = await clientIn(dir);
  t.teardown(() => client.close());
  const bin = tempDir('nu-bin-');
  fs.writeFileSync(path.join(bin, 'node-unit'), `#!/bin/sh\nexec "${process.execPath}" "${path.resolve('bin/node-unit.js')}" "$@"\n`, { mode: 0o755 });
  const script = path.join(bin, 'completion.bash');
  fs.writeFileSync(script, (await runCli(['completion', 'bash'])).stdout);
  const complete = async (...words: string[]): Promise<string[]> => {
    const line = `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _node_unit_complete; echo "\${COMPREPLY[@]}"`;
    const { spawnSync } = await import('node:child_process');
    const out = spawnSync('bash', ['-c', line], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` }, encoding: 'utf8' });
    return out.stdout.trim().split(/\s+/).filter(Boolean);
  };
  t.deepEqual(await complete('node-unit', 'sc'), ['scale']);
  t.true((await complete('node-unit', 're')).includes('reload-logs'));
  t.deepEqual(await complete('node-unit', 'restart', ''), ['jobs', 'all']);
  t.regex((await runCli(['completion', 'zsh'])).stdout, /bashcompinit/);
  t.regex((await runCli(['completion', 'fish'])).stdout, /complete -c node-unit .*completion --apps/);
  const bad = await runCli(['completion', 'tcsh']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /expected bash, zsh or fish, got "tcsh"/);
});

test('up ecosystem.config.js runs the file, as pm2 start does; start refuses an ecosystem file', async (t) => {
  const dir = tempDir('nu-noconfig-');
  writeFiles(dir, { 'deploy/pm2.config.js': `module.exports = { apps: [{ name: 'api', script: ${JSON.stringify(path.join(FIXTURES, 'procs', 'forever.js'))} }] };\n` });
  const up = startUp(t, ['deploy/pm2.config.js'], { cwd: dir });
  const client = await waitFor(() => connectControl(controlSocketPath(path.join(dir, 'deploy', '.node-unit'))).catch(() => undefined), { timeoutMs: 30_000, what: `the socket; up said:\n${up.output()}` });
  t.teardown(() => client.close());
  await waitFor(async () => allOnline(await client.list(), 1), { timeoutMs: 30_000, what: 'api online' });
  const start = await runCli(['start', 'deploy/pm2.config.js'], { cwd: dir });
  t.is(start.code, 2);
  t.regex(start.stderr, /deploy\/pm2\.config\.js is an ecosystem file: 'node-unit up --config deploy\/pm2\.config\.js' runs it/);
});
