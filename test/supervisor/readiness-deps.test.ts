import test from 'ava';
import { appSpec, procScript } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';
import { freePort } from '../../src/supervisor/ports.js';

test('wait_ready: online only after process.send("ready"); dependents wait in pending with the reason', async (t) => {
  const h = await harness(t, [
    appSpec({ name: 'worker', dependsOn: [{ app: 'api', condition: 'ready' }] }),
    appSpec({ name: 'api', script: procScript('ready.js'), args: ['300'], waitReady: true }),
  ]);
  const pending = await h.waitStatus('worker:0', 'pending');
  t.is(pending.state.status === 'pending' ? pending.state.reason : '', 'waiting for api to be ready');
  await h.waitStatus('api:0', 'starting');
  await h.waitStatus('api:0', 'online');
  await h.waitStatus('worker:0', 'online');
  await waitFor(() => h.lines('api:0').includes('ready.js sent ready'), { what: 'the line api printed as it sent ready' });
  const order = h.events.flatMap((e) => (e.type === 'state' ? [`${e.instance.id}:${e.instance.state.status}`] : []));
  t.true(order.indexOf('api:0:online') < order.indexOf('worker:0:starting'));
});

test('listen_timeout: no ready message means online anyway, with a note (as pm2)', async (t) => {
  const h = await harness(t, [appSpec({ name: 'quiet', waitReady: true, listenTimeoutMs: 200 })]);
  const online = await h.waitStatus('quiet:0', 'online');
  t.regex(online.note ?? '', /no 'ready' message within listen_timeout 200ms/);
});

test('an http readiness probe holds the instance in starting until it answers', async (t) => {
  const port = await freePort();
  const h = await harness(t, [
    appSpec({
      name: 'web',
      script: procScript('http-server.js'),
      env: { PORT: String(port), READY_AFTER_MS: '400' },
      readiness: { check: { kind: 'http', url: 'http://127.0.0.1:${PORT}/health' }, intervalMs: 50, timeoutMs: 500, retries: 0, initialDelayMs: 0 },
    }),
  ]);
  // The process start: a start still queued to spawn has no pid yet.
  const starting = await waitFor(() => {
    const info = h.info('web:0');
    return info?.state.status === 'starting' && info.state.pid !== undefined ? info : undefined;
  }, { what: 'web:0 spawned' });
  const since = starting.state.status === 'starting' ? starting.state.since : 0;
  const online = await h.waitStatus('web:0', 'online');
  t.true(Date.now() - since >= 350, 'online only once the probe answered');
  t.is(online.state.status === 'online' ? online.state.since : 0, since, 'uptime counts from the process start, not from readiness');
});

test('a log-line probe: online when the line appears', async (t) => {
  const h = await harness(t, [
    appSpec({ name: 'll', script: procScript('ready.js'), args: ['200'], readiness: { check: { kind: 'log', pattern: 'sent ready$' }, intervalMs: 50, timeoutMs: 500, retries: 0, initialDelayMs: 0 } }),
  ]);
  await h.waitStatus('ll:0', 'online');
  await waitFor(() => h.lines('ll:0').includes('ready.js sent ready'), { what: 'the matching line' });
  t.pass();
});

test('a probe that never passes errors the instance after its retries and stops the process', async (t) => {
  const port = await freePort();
  const h = await harness(t, [
    appSpec({ name: 'never', readiness: { check: { kind: 'tcp', host: '127.0.0.1', port }, intervalMs: 20, timeoutMs: 200, retries: 3, initialDelayMs: 0 } }),
  ]);
  const errored = await h.waitStatus('never:0', 'errored');
  t.regex(errored.state.status === 'errored' ? errored.state.reason : '', /^not ready after 3 probes: /);
});

test('a dependency that errors leaves dependents pending with that reason', async (t) => {
  const h = await harness(t, [
    appSpec({ name: 'api', script: './missing.js' }),
    appSpec({ name: 'job', dependsOn: [{ app: 'api', condition: 'started' }] }),
  ]);
  await h.waitStatus('api:0', 'errored');
  await waitFor(() => {
    const state = h.info('job:0')?.state;
    return state?.status === 'pending' && state.reason.startsWith('waiting for api: it errored (script ');
  }, { what: 'job pending on the errored api' });
  t.pass();
});

test('completed: a job runs after a migration exits 0', async (t) => {
  const h = await harness(t, [
    appSpec({ name: 'migrate', script: procScript('exit-after.js'), args: ['0', '100'], autorestart: false }),
    appSpec({ name: 'app', dependsOn: [{ app: 'migrate', condition: 'completed' }] }),
  ]);
  await h.waitStatus('migrate:0', 'exited');
  await h.waitStatus('app:0', 'online');
  t.pass();
});

test('shutdown stops dependents before their dependencies', async (t) => {
  const h = await harness(t, [
    appSpec({ name: 'db' }),
    appSpec({ name: 'api', dependsOn: [{ app: 'db', condition: 'ready' }] }),
  ]);
  await h.waitStatus('api:0', 'online');
  await h.supervisor.shutdown('test');
  const stops = h.events.flatMap((e) => (e.type === 'state' && e.instance.state.status === 'stopped' ? [e.instance.app] : []));
  t.deepEqual(stops, ['api', 'db']);
});
