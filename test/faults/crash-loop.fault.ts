import test from 'ava';
import path from 'node:path';
import type { ProcessStatus } from '../../src/model/state.js';
import { cjsConfig, upProject } from '../helpers/control.js';
import { waitFor } from '../helpers/wait.js';
import { cpuSeconds, PROCS } from './procs.js';

const APPS = 10;
const MAX_RESTARTS = 5;

test('a crash loop of 10 apps backs off, then each app is errored; the supervisor stays under half a core', async (t) => {
  const apps = Array.from({ length: APPS }, (_, i) => ({
    name: `crash${i}`,
    script: path.join(PROCS, 'exit-after.js'),
    args: ['3', '0'],
    autostart: false,
    max_restarts: MAX_RESTARTS,
    // Far above a node start on a loaded machine, so every exit counts as unstable.
    min_uptime: 10_000,
    exp_backoff_restart_delay: 100,
  }));
  // Once every app is errored nothing is left to run: --no-auto-exit keeps the supervisor for the checks below.
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig(apps) }, ['--no-auto-exit']);
  const seen = new Map<string, ProcessStatus[]>();
  p.client.subscribe(
    (event) => {
      if (event.type === 'state') seen.set(event.instance.id, [...(seen.get(event.instance.id) ?? []), event.instance.state.status]);
    },
    { logs: 'none' },
  );
  const supervisorPid = p.up.child.pid ?? 0;
  const cpuBefore = cpuSeconds(supervisorPid);
  const startedAt = Date.now();
  t.like(await p.client.start('all'), { ok: true });
  const finalStates = await waitFor(
    async () => {
      const list = await p.client.list();
      return list.length === APPS && list.every((info) => info.state.status === 'errored') ? list : undefined;
    },
    { timeoutMs: 60_000, what: 'every crashing app to be errored' },
  );
  const cpu = cpuSeconds(supervisorPid) - cpuBefore;
  const wall = (Date.now() - startedAt) / 1000;
  t.log(`supervisor CPU over the crash loop: ${cpu.toFixed(2)} s in ${wall.toFixed(2)} s wall (${((100 * cpu) / wall).toFixed(1)} % of a core), ${APPS * (MAX_RESTARTS + 1)} starts`);
  t.true(cpu / wall < 0.5, `the supervisor used ${cpu.toFixed(2)} CPU s in ${wall.toFixed(2)} s`);

  for (const info of finalStates) {
    t.like(info.state, { status: 'errored', restarts: MAX_RESTARTS });
    if (info.state.status === 'errored') t.regex(info.state.reason, /exited with code 3; 6 exits in a row within min_uptime 10000ms \(max_restarts 5\)/);
    const statuses = await waitFor(() => (seen.get(info.id)?.includes('errored') ? seen.get(info.id) : undefined), { what: `the events of ${info.id}` });
    t.is(statuses.filter((status) => status === 'backoff').length, MAX_RESTARTS, `${info.id} went ${statuses.join(' → ')}`);
    t.is(statuses.at(-1), 'errored');
  }
  const ls = await p.client.list();
  t.is(ls.length, APPS, 'the supervisor still answers after the loop');
});
