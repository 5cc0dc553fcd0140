import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { cjsConfig, parseRows, pidOf, upProject, type RunningProject } from '../helpers/control.js';
import { FIXTURES } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const forever = path.join(FIXTURES, 'procs', 'forever.js');
const app = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, script: forever, exec_mode: 'fork', kill_timeout: 1000, ...extra });

/** Every instance's pid once all of them are online. */
async function onlinePids(p: RunningProject, count: number): Promise<ReadonlyMap<string, number | undefined>> {
  return waitFor(
    async () => {
      const list = await p.client.list();
      return list.length === count && list.every((info) => info.state.status === 'online') ? new Map(list.map((info) => [info.id, pidOf(info)])) : undefined;
    },
    { timeoutMs: 30_000, what: `${count} instances online` },
  );
}

test('reload is exact: 2 → 4 instances adds two and touches none; 4 → 1 stops three; restart counters survive', async (t) => {
  const file = 'ecosystem.config.cjs';
  const p = await upProject(t, { [file]: cjsConfig([app('api', { instances: 2 }), app('other')]) });
  const cli = (...args: string[]) => runCli(args, { cwd: p.dir });
  const first = await onlinePids(p, 3);
  t.is((await cli('restart', 'api:0')).code, 0);
  await waitFor(async () => (await p.client.list()).find((info) => info.id === 'api:0' && info.state.status === 'online' && info.state.restarts === 1), { timeoutMs: 30_000, what: 'api:0 restarted once' });
  const restarted = await onlinePids(p, 3);

  fs.writeFileSync(path.join(p.dir, file), cjsConfig([app('api', { instances: 4 }), app('other')]));
  const plan = await cli('reload', '--plan');
  t.is(plan.stdout, ['~ api (scaled: instances added or stopped, the others left running)', '    instances: 2 → 4', '= other (unchanged: left running)', "plan only: run 'node-unit reload' to apply", ''].join('\n'), 'only the key the user wrote');
  t.is((await cli('reload')).code, 0);
  const grown = await onlinePids(p, 5);
  for (const id of ['api:0', 'api:1', 'other:0']) t.is(grown.get(id), restarted.get(id), `${id} kept its process`);
  t.truthy(grown.get('api:3'));
  t.is((await p.client.list()).find((info) => info.id === 'api:0')?.state.restarts, 1, 'the restart counter survives a scale');

  fs.writeFileSync(path.join(p.dir, file), cjsConfig([app('api', { instances: 1 }), app('other')]));
  t.is((await cli('reload')).code, 0);
  const shrunk = await onlinePids(p, 2);
  t.deepEqual([...shrunk.keys()], ['api:0', 'other:0']);
  t.is(shrunk.get('api:0'), restarted.get('api:0'));
  t.is(shrunk.get('other:0'), first.get('other:0'));

  fs.writeFileSync(path.join(p.dir, file), cjsConfig([app('api', { instances: 1, env: { CHANGED: '1' } }), app('other')]));
  t.is((await cli('reload')).code, 0);
  const replaced = await waitFor(async () => (await p.client.list()).find((info) => info.id === 'api:0' && info.state.status === 'online' && pidOf(info) !== shrunk.get('api:0')), { timeoutMs: 30_000, what: 'api:0 replaced' });
  t.is(replaced.state.restarts, 2, 'a replaced instance continues its counter (and counts the restart)');
});

test('start a script, scale it, reset and delete it on a running supervisor; other apps are never touched', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([app('api')]), 'worker.js': fs.readFileSync(forever, 'utf8') });
  const cli = (...args: string[]) => runCli(args, { cwd: p.dir });
  const apiPid = (await onlinePids(p, 1)).get('api:0');

  const started = await cli('start', 'worker.js');
  t.is(started.code, 0, started.stderr);
  t.is(started.stdout, 'started worker:0\n');
  await onlinePids(p, 2);
  const ls = await cli('ls');
  t.regex(ls.stdout, /^worker:0 \*/m, 'ls marks the app added at run time');
  t.regex(ls.stdout, /\* started from the command line \('up app\.js', 'start app\.js'\), not from an ecosystem file/);
  t.true(parseRows((await cli('ls', '--json')).stdout).some((row) => row.id === 'worker:0' && row.adhoc === true));

  t.is((await cli('scale', 'worker', '3')).stdout, 'scaled to worker:0, worker:1, worker:2\n');
  const scaled = await onlinePids(p, 4);
  const scaledLine = await p.up.waitForLine(/worker:2 online/);
  t.regex(scaledLine, /\| worker:2 online \(pid \d+\)/, 'the headless output names the instances of an app scaled at run time');
  t.is(scaled.get('api:0'), apiPid);
  t.is((await cli('scale', 'worker', '-1')).code, 0);
  const less = await onlinePids(p, 3);
  t.is(less.get('worker:0'), scaled.get('worker:0'));
  t.is(less.get('worker:1'), scaled.get('worker:1'));
  const bad = await cli('scale', 'worker', '-5');
  t.is(bad.code, 1);
  t.regex(bad.stderr, /worker cannot have -3 instances/);

  t.is((await cli('restart', 'worker:0')).code, 0);
  await waitFor(async () => (await p.client.list()).find((info) => info.id === 'worker:0' && info.state.status === 'online' && info.state.restarts === 1), { timeoutMs: 30_000, what: 'worker:0 restarted' });
  t.is((await cli('reset', 'worker')).code, 0);
  t.true((await p.client.list()).every((info) => info.state.restarts === 0), 'reset zeroes the counters');
  const beforeReload = await onlinePids(p, 3);

  const reload = await cli('reload');
  t.is(reload.code, 0);
  t.regex(reload.stdout, /= api/);
  t.deepEqual(await onlinePids(p, 3), beforeReload, 'a config reload leaves an added app alone');

  const deleted = await cli('delete', 'worker');
  t.is(deleted.stdout, 'deleted worker:0, worker:1\n');
  const after = await onlinePids(p, 1);
  t.is(after.get('api:0'), apiPid, 'the config app kept its process throughout');
  t.regex((await cli('delete', 'nothing')).stderr, /no app, instance or namespace named "nothing"/);
});

test('a config app that takes an added app\'s name replaces it, and reload says so', async (t) => {
  const file = 'ecosystem.config.cjs';
  const p = await upProject(t, { [file]: cjsConfig([app('api')]), 'worker.js': fs.readFileSync(forever, 'utf8') });
  const cli = (...args: string[]) => runCli(args, { cwd: p.dir });
  t.is((await cli('start', 'worker.js', '--name', 'jobs')).code, 0);
  const before = await onlinePids(p, 2);
  fs.writeFileSync(path.join(p.dir, file), cjsConfig([app('api'), app('jobs')]));
  const reload = await cli('reload');
  t.is(reload.code, 0);
  t.regex(reload.stderr, /the config file's app "jobs" takes the place of the "jobs" started with 'node-unit start'/);
  const after = await waitFor(async () => {
    const list = await p.client.list();
    const jobs = list.find((info) => info.id === 'jobs:0');
    return jobs && jobs.state.status === 'online' && !jobs.adhoc ? list : undefined;
  }, { timeoutMs: 30_000 });
  t.not(pidOf(after.find((info) => info.id === 'jobs:0') ?? after[0]!), before.get('jobs:0'));
  t.is(pidOf(after.find((info) => info.id === 'api:0') ?? after[0]!), before.get('api:0'));
});
