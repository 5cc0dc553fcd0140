import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { cjsConfig, parseRows, pidOf, upProject } from '../helpers/control.js';
import { isAlive } from '../helpers/proc.js';
import { FIXTURES } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const forever = path.join(FIXTURES, 'procs', 'forever.js');

const twoApps = cjsConfig([
  { name: 'api', script: forever, instances: 2, namespace: 'web', kill_timeout: 1000 },
  { name: 'worker', script: forever, kill_timeout: 1000 },
]);

test('ls, start, stop and restart by name, instance, namespace and all', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': twoApps });
  await Promise.all(['api:0', 'api:1', 'worker:0'].map((id) => p.status(id, 'online')));
  const cli = (...args: string[]) => runCli(args, { cwd: p.dir });

  const table = await cli('ls');
  t.is(table.code, 0, table.stderr);
  t.regex(table.stdout, /^ID\s+NAMESPACE\s+STATUS\s+PID\s+CPU\s+MEM\s+UPTIME\s+RESTARTS\s+REASON\n/);
  t.regex(table.stdout, /\napi:1\s+web\s+online\s+\d+\s/);
  // The same columns; their widths follow the figures, and a memory sample may land between two calls.
  const columns = (stdout: string): readonly string[] => (stdout.split('\n')[0] ?? '').split(/\s+/);
  for (const alias of ['list', 'status']) t.deepEqual(columns((await cli(alias)).stdout), columns(table.stdout));

  const rows = parseRows((await cli('ls', '--json')).stdout);
  t.deepEqual(rows.map((r) => [r.id, r.app, r.index, r.namespace, r.status]), [['api:0', 'api', 0, 'web', 'online'], ['api:1', 'api', 1, 'web', 'online'], ['worker:0', 'worker', 0, 'default', 'online']]);
  t.true(rows.every((r) => typeof r.pid === 'number' && r.restarts === 0 && typeof r.uptime === 'number'));

  const stopOne = await cli('stop', 'api:1');
  t.is(stopOne.stdout, 'stopped api:1\n');
  t.deepEqual(parseRows((await cli('ls', '--json')).stdout).map((r) => r.status), ['online', 'stopped', 'online']);

  t.is((await cli('stop', 'web')).stdout, 'stopped api:0, api:1\n');
  t.deepEqual(parseRows((await cli('ls', '--json')).stdout).map((r) => r.status), ['stopped', 'stopped', 'online']);

  t.is((await cli('start', 'api')).stdout, 'started api:0, api:1\n');
  await Promise.all(['api:0', 'api:1'].map((id) => p.status(id, 'online')));

  const before = pidOf(await p.status('worker:0', 'online'));
  t.is((await cli('restart', 'worker')).stdout, 'restarted worker:0\n');
  const after = pidOf(await p.status('worker:0', 'online'));
  t.not(after, before);

  t.is((await cli('restart', 'all')).stdout, 'restarted api:0, api:1, worker:0\n');
  const unknown = await cli('restart', 'wroker');
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /no app, instance or namespace named "wroker" — did you mean "worker"\?/);
  const json = await cli('stop', 'api:7', '--json');
  t.is(json.code, 1);
  t.like(JSON.parse(json.stdout), { ok: false, code: 'unknown_target' });
});

test('restart after the config file changed warns and points to reload', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': twoApps });
  await p.status('worker:0', 'online');
  fs.appendFileSync(path.join(p.dir, 'ecosystem.config.cjs'), '// edited\n');
  const result = await runCli(['restart', 'worker'], { cwd: p.dir });
  t.is(result.code, 0);
  t.regex(result.stderr, /warning ecosystem\.config\.cjs changed since it was loaded; 'node-unit reload' applies it/);
});

test('describe, signal, flush and logs with --err, --out, --timestamps and --json', async (t) => {
  const talk = "console.log('to out'); console.error('to err'); process.on('SIGUSR2', () => console.log('got usr2')); setInterval(() => {}, 1 << 30);\n";
  const p = await upProject(t, {
    'talk.cjs': talk,
    'ecosystem.config.cjs': cjsConfig([{ name: 'talk', script: 'talk.cjs', env: { SECRET_KEY: 'x' } }]),
  });
  await p.status('talk:0', 'online');
  const cli = (...args: string[]) => runCli(args, { cwd: p.dir });
  await waitFor(async () => (await cli('logs', 'talk')).stdout.includes('to err'), { what: 'both lines in the log' });

  const described = await cli('describe', 'talk');
  t.regex(described.stdout, /^talk:0\n\s+status\s+online/);
  t.regex(described.stdout, /\n\s+SECRET_KEY\s+env\n/);
  const detail = JSON.parse((await cli('describe', 'talk', '--json')).stdout) as { id: string; status: string; spec: { name: string; env: Record<string, string> } }[];
  t.like(detail[0], { id: 'talk:0', status: 'online', spec: { name: 'talk', env: { SECRET_KEY: 'x' } } });

  t.is((await cli('logs', 'talk', '--err')).stdout, 'talk | to err\n');
  t.is((await cli('logs', 'talk', '--out')).stdout, 'talk | to out\n');
  t.regex((await cli('logs', '--timestamps', '--lines', '1')).stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z talk \| to (out|err)\n$/);
  const lines = (await cli('logs', '--json')).stdout.trim().split('\n').map((line) => JSON.parse(line) as { app: string; stream: string; line: string; seq: number });
  t.deepEqual(lines.map((l) => [l.app, l.stream, l.line]).sort(), [['talk', 'err', 'to err'], ['talk', 'out', 'to out']]);
  t.is((await cli('logs', 'talk', '--err', '--out')).code, 2);

  const signalled = await cli('signal', 'usr2', 'talk');
  t.is(signalled.stdout, 'signalled (SIGUSR2) talk:0\n');
  await waitFor(async () => (await cli('logs', 'talk')).stdout.includes('got usr2'), { what: 'the app to see SIGUSR2' });
  const badSignal = await cli('signal', 'SIGNOPE', 'talk');
  t.is(badSignal.code, 2);
  t.regex(badSignal.stderr, /unknown signal "SIGNOPE"/);

  // What flush empties is the log backend's business (files come with the logs work); here: it reaches it.
  t.is((await cli('flush', 'talk')).stdout, 'flushed the logs of talk:0\n');
  t.is((await cli('flush')).stdout, 'flushed the logs of talk:0\n');
  t.is((await cli('flush', 'nope')).code, 1);
});

test('down stops everything and makes up exit 0', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': twoApps });
  const pids = await Promise.all(['api:0', 'api:1', 'worker:0'].map(async (id) => pidOf(await p.status(id, 'online')) ?? 0));
  const down = await runCli(['down'], { cwd: p.dir });
  t.is(down.code, 0, down.stderr);
  t.regex(down.stdout, /^stopped every app of nu-control-\w+; the supervisor exited\n$/);
  t.is((await p.up.exited).code, 0);
  t.deepEqual(pids.filter(isAlive), []);
  t.false(fs.existsSync(p.socketPath));
  const after = await runCli(['ls'], { cwd: p.dir });
  t.is(after.code, 1);
});

test('a client finds a supervisor started with --config under another name, from the project folder or below', async (t) => {
  const project = await upProject(t, { 'demo.config.cjs': cjsConfig([{ name: 'solo', script: path.join(FIXTURES, 'procs', 'forever.js') }]), 'sub/x.txt': '' }, ['--config', 'demo.config.cjs']);
  await project.status('solo:0', 'online');
  for (const cwd of [project.dir, path.join(project.dir, 'sub')]) {
    const ls = await runCli(['ls', '--json'], { cwd });
    t.is(ls.code, 0, ls.stderr);
    t.deepEqual(parseRows(ls.stdout).map((row) => row.id), ['solo:0']);
  }
});
