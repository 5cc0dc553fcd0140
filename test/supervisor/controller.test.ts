import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import test from 'ava';
import type { AppSpec } from '../../src/model/app.js';
import type { ConfigSource } from '../../src/supervisor/supervisor.js';
import { freePort } from '../../src/supervisor/ports.js';
import { appSpec, procScript } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

function source(initial: readonly AppSpec[]): ConfigSource & { set(apps: readonly AppSpec[]): void } {
  let apps = initial;
  let stale = false;
  return {
    set(next) {
      apps = next;
      stale = true;
    },
    async load() {
      stale = false;
      return { ok: true, apps, warnings: [] };
    },
    staleNote: () => (stale ? 'config changed' : undefined),
  };
}

const pidOf = (info: { state: { status: string } } | undefined): number | undefined =>
  info && 'pid' in info.state && typeof info.state.pid === 'number' ? info.state.pid : undefined;

test('reload applies the difference: new apps start, removed stop, changed restart with the new env, others keep their pid', async (t) => {
  const initial = [appSpec({ name: 'keep' }), appSpec({ name: 'change', script: procScript('env-dump.js'), env: { A: '1', GONE: 'x' } }), appSpec({ name: 'drop' })];
  const config = source(initial);
  const h = await harness(t, initial, { configSource: config });
  for (const id of ['keep:0', 'change:0', 'drop:0']) await h.waitStatus(id, 'online');
  const keepPid = pidOf(h.info('keep:0'));
  const next = [appSpec({ name: 'keep' }), appSpec({ name: 'change', script: procScript('env-dump.js'), env: { A: '2' } }), appSpec({ name: 'fresh' })];
  config.set(next);
  const warned = await h.supervisor.restart('keep');
  t.deepEqual(warned.ok ? warned.warnings : [], ['config changed']);
  await h.waitStatus('keep:0', 'online');
  const keepPidAfterRestart = pidOf(h.info('keep:0'));
  const plan = await h.supervisor.reload(undefined, { planOnly: true });
  t.like(plan, { ok: true, kind: 'config', applied: false, plan: { added: ['fresh'], removed: ['drop'], unchanged: ['keep'] } });
  const result = await h.supervisor.reload(undefined, { planOnly: false });
  t.like(result, { ok: true, applied: true });
  await h.waitStatus('fresh:0', 'online');
  await h.waitStatus('change:0', 'online');
  t.is(pidOf(h.info('keep:0')), keepPidAfterRestart);
  t.not(keepPidAfterRestart, keepPid);
  t.deepEqual((await h.supervisor.list()).map((i) => i.id).sort(), ['change:0', 'fresh:0', 'keep:0']);
  // The first instance may be stopped before it printed anything (a loaded machine boots node slowly),
  // so wait for the line of the new instance rather than for a count of lines.
  const env = await waitFor(() => {
    const dumps = h.lines('change:0').filter((l) => l.startsWith('ENV ')).map((l) => JSON.parse(l.slice(4)) as Record<string, string>);
    return dumps.find((dump) => dump.A === '2');
  }, { what: 'the changed app to print its new env' });
  t.is(env.A, '2');
  t.is(env.GONE, undefined);
});

function get(port: number): Promise<number> {
  return new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', () => resolve(0));
  });
}

test('rolling reload of a cluster app: every request is answered while instances are replaced one by one', async (t) => {
  const port = await freePort();
  const web = appSpec({ name: 'web', script: procScript('http-server.js'), instances: 2, execMode: 'cluster', env: { PORT: String(port) }, readiness: { check: { kind: 'http', url: `http://127.0.0.1:${port}/health` }, intervalMs: 50, timeoutMs: 500, retries: 0, initialDelayMs: 0 } });
  const h = await harness(t, [web]);
  await h.waitStatus('web:0', 'online');
  await h.waitStatus('web:1', 'online');
  const before = [pidOf(h.info('web:0')), pidOf(h.info('web:1'))];
  let failures = 0;
  let requests = 0;
  let rolling = true;
  const load = (async () => {
    while (rolling && requests < 5000) {
      requests++;
      if ((await get(port)) !== 200) failures++;
    }
  })();
  const result = await h.supervisor.reload('web', { planOnly: false });
  rolling = false;
  await load;
  t.deepEqual(result, { ok: true, kind: 'rolling', instances: ['web:0', 'web:1'] });
  const after = [pidOf(h.info('web:0')), pidOf(h.info('web:1'))];
  t.true(after.every((pid, i) => pid !== undefined && pid !== before[i]));
  t.is(failures, 0, `${failures} of ${requests} requests failed`);
  t.true(requests > 0);
  t.is(h.info('web:0')?.state.restarts, 1);
});

test('describe, signal, logs tail and unknown targets', async (t) => {
  const h = await harness(t, [appSpec({ name: 'api', instances: 2 })]);
  await h.waitStatus('api:0', 'online');
  await h.waitStatus('api:1', 'online');
  const described = await h.supervisor.describe('api:1');
  t.like(described, { ok: true });
  t.is(described.ok ? described.instances[0]?.spec.name : '', 'api');
  t.is(described.ok ? described.instances[0]?.pid : 0, pidOf(h.info('api:1')));
  await waitFor(async () => {
    const logs = await h.supervisor.logs('api', { lines: 10 });
    return logs.ok && logs.lines.length === 2;
  }, { what: 'both first lines in the tail' });
  t.like(await h.supervisor.signal('SIGTERM', 'api:0'), { ok: true, instances: ['api:0'] });
  await waitFor(() => h.lines('api:0').includes('forever got SIGTERM'), { what: 'the signal to arrive' });
  t.like(await h.supervisor.describe('nope'), { ok: false, code: 'unknown_target' });
  t.like(await h.supervisor.logs('nope', { lines: 1 }), { ok: false, code: 'unknown_target' });
});

test('subscribers choose which log lines they get', async (t) => {
  const h = await harness(t, [appSpec({ name: 'a' }), appSpec({ name: 'b' })]);
  const onlyA: string[] = [];
  const none: string[] = [];
  h.supervisor.subscribe((e) => e.type === 'log' && onlyA.push(...e.lines.map((l) => l.id)), { logs: 'a' });
  h.supervisor.subscribe((e) => e.type === 'log' && none.push(...e.lines.map((l) => l.id)), { logs: 'none' });
  await h.waitStatus('b:0', 'online');
  await waitFor(() => h.lines('b:0').length > 0 && h.lines('a:0').length > 0, { what: 'lines from both' });
  t.true(onlyA.length > 0);
  t.true(onlyA.every((id) => id === 'a:0'));
  t.deepEqual(none, []);
});

test('restart and start reply once the new process runs, also when its launch waits on a port check', async (t) => {
  // A fixed port is checked for being free before each launch: a real socket round trip before the spawn.
  const app = appSpec({ name: 'api', ports: { PORT: await freePort() } });
  const h = await harness(t, [app]);
  const first = pidOf(await h.waitStatus('api:0', 'online'));
  const restarted = await h.supervisor.restart('api');
  t.true(restarted.ok);
  const after = (await h.supervisor.list()).find((info) => info.id === 'api:0');
  t.is(after?.state.status, 'online');
  t.not(pidOf(after), first);
  await h.supervisor.stop('api');
  await h.supervisor.start('api');
  t.is((await h.supervisor.list()).find((info) => info.id === 'api:0')?.state.status, 'online');
});

/** The files this test process holds open (the supervisor runs in it). */
function openFiles(): string[] {
  return fs.readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [fs.readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

test('the log files of instances that are scaled away or deleted are closed once their lines are written', async (t) => {
  const dir = tempDir('nu-logfd-');
  const logs = (name: string) => ({ outFile: path.join(dir, `${name}-out.log`), errorFile: path.join(dir, `${name}-err.log`), combinedFile: null, merge: false, timestamp: false, dateFormat: undefined, maxSizeBytes: undefined, maxFiles: 10 });
  const apps = [appSpec({ name: 'api', instances: 2, logs: logs('api') }), appSpec({ name: 'gone', logs: logs('gone') })];
  const h = await harness(t, apps);
  for (const id of ['api:0', 'api:1', 'gone:0']) await h.waitStatus(id, 'online');
  const held = (file: string): boolean => openFiles().includes(path.join(dir, file));
  // A file opens with its first line.
  await waitFor(() => held('api-out-0.log') && held('api-out-1.log') && held('gone-out-0.log'), { what: 'each instance writing its own file' });
  t.like(await h.supervisor.scale('api', { kind: 'to', count: 1 }), { ok: true });
  t.like(await h.supervisor.deleteApp('gone'), { ok: true });
  await waitFor(() => !held('api-out-1.log') && !held('gone-out-0.log'), { what: 'the files of api:1 and gone:0 to be closed' });
  t.true(held('api-out-0.log'), 'the remaining instance keeps its file');
});
