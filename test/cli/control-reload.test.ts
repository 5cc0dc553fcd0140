import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { cjsConfig, pidOf, upProject } from '../helpers/control.js';
import { FIXTURES } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const forever = path.join(FIXTURES, 'procs', 'forever.js');
const app = (name: string, env: Record<string, string> = {}): Record<string, unknown> => ({ name, script: forever, env, kill_timeout: 1000 });

test('reload --plan prints the diff app by app and key by key; reload applies it exactly', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([app('keep'), app('change', { FOO: '1', BAR: 'x' }), app('drop')]) });
  const before = new Map(await Promise.all(['keep:0', 'change:0', 'drop:0'].map(async (id) => [id, pidOf(await p.status(id, 'online'))] as const)));
  const cli = (...args: string[]) => runCli(args, { cwd: p.dir });

  const same = await cli('reload', '--plan');
  t.is(same.stdout, '= keep (unchanged: left running)\n= change (unchanged: left running)\n= drop (unchanged: left running)\nnothing to do: the config file matches what runs\n');

  fs.writeFileSync(path.join(p.dir, 'ecosystem.config.cjs'), cjsConfig([app('keep'), app('change', { FOO: '2' }), app('fresh')]));
  const plan = await cli('reload', '--plan');
  t.is(plan.code, 0, plan.stderr);
  t.is(
    plan.stdout,
    [
      '+ fresh (new: will start)',
      '- drop (removed: will stop)',
      '~ change (changed: will restart)',
      '    env.BAR: "x" → (unset)',
      '    env.FOO: "1" → "2"',
      '= keep (unchanged: left running)',
      "plan only: run 'node-unit reload' to apply",
      '',
    ].join('\n'),
  );
  const planJson = JSON.parse((await cli('reload', '--plan', '--json')).stdout) as { kind: string; applied: boolean; plan: { added: string[]; removed: string[] } };
  t.like(planJson, { kind: 'config', applied: false, plan: { added: ['fresh'], removed: ['drop'] } });
  t.deepEqual((await p.client.list()).map((info) => info.id), ['keep:0', 'change:0', 'drop:0'], '--plan changes nothing');

  const applied = await cli('reload');
  t.is(applied.code, 0, applied.stderr);
  t.true(applied.stdout.endsWith('applied\n'));
  const fresh = await p.status('fresh:0', 'online');
  const changed = await p.status('change:0', 'online');
  const kept = await p.status('keep:0', 'online');
  t.deepEqual((await p.client.list()).map((info) => info.id), ['keep:0', 'change:0', 'fresh:0']);
  t.is(pidOf(kept), before.get('keep:0'), 'an unchanged app keeps its process');
  t.not(pidOf(changed), before.get('change:0'));
  t.truthy(pidOf(fresh));
  const described = await p.client.describe('change');
  t.deepEqual(described.ok ? described.instances[0]?.spec.env : undefined, { FOO: '2' }, 'removed variables are gone');
});

test('reload with a target restarts its instances one at a time', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([{ ...app('api'), instances: 2 }]) });
  const before = await Promise.all(['api:0', 'api:1'].map(async (id) => pidOf(await p.status(id, 'online'))));
  const result = await runCli(['reload', 'api'], { cwd: p.dir });
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, 'reloaded api:0, api:1 (one at a time)\n');
  const after = await waitFor(async () => {
    const list = await p.client.list();
    return list.every((info) => info.state.status === 'online') ? list.map(pidOf) : undefined;
  });
  t.true(after.every((pid, i) => pid !== before[i]));
  const misuse = await runCli(['reload', 'api', '--plan'], { cwd: p.dir });
  t.is(misuse.code, 2);
});
