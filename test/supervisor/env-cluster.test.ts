import http from 'node:http';
import test from 'ava';
import { appSpec, procScript } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';
import { freePort } from '../../src/supervisor/ports.js';

function envOf(lines: readonly string[]): Record<string, string> | undefined {
  const line = lines.find((l) => l.startsWith('ENV '));
  return line ? (JSON.parse(line.slice(4)) as Record<string, string>) : undefined;
}

test('env layering: parent < app env < per-instance variables; colours forced; ports injected', async (t) => {
  const h = await harness(
    t,
    [appSpec({ name: 'dump', script: procScript('env-dump.js'), instances: 2, env: { FROM_APP: 'app', SHARED: 'app' }, ports: { HTTP_PORT: 4321 }, incrementVar: 'BASE' })],
    { parentEnv: { PATH: process.env.PATH, SHARED: 'parent', PARENT_ONLY: 'p', BASE: '7000' } },
  );
  const env0 = await waitFor(() => envOf(h.lines('dump:0')), { what: 'env of dump:0' });
  const env1 = await waitFor(() => envOf(h.lines('dump:1')), { what: 'env of dump:1' });
  t.like(env0, { FROM_APP: 'app', SHARED: 'app', PARENT_ONLY: 'p', NODE_APP_INSTANCE: '0', FORCE_COLOR: '1', HTTP_PORT: '4321', NODE_UNIT_APP: 'dump', BASE: '7000' });
  t.like(env1, { NODE_APP_INSTANCE: '1', BASE: '7001' });
});

test('NO_COLOR in the env keeps colours off; filter_env drops inherited variables', async (t) => {
  const h = await harness(t, [appSpec({ name: 'plain', script: procScript('env-dump.js'), env: { NO_COLOR: '1' }, filterEnv: ['SECRET'] })], {
    parentEnv: { PATH: process.env.PATH, SECRET: 's', KEEP: 'k' },
  });
  const env = await waitFor(() => envOf(h.lines('plain:0')), { what: 'env' });
  t.is(env.FORCE_COLOR, undefined);
  t.is(env.SECRET, undefined);
  t.is(env.KEEP, 'k');
});

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve(body));
    }).on('error', reject);
  });
}

test('cluster mode: instances share one listening port', async (t) => {
  const port = await freePort();
  const h = await harness(t, [appSpec({ name: 'web', script: procScript('http-server.js'), instances: 2, execMode: 'cluster', env: { PORT: String(port) } })]);
  await h.waitStatus('web:0', 'online');
  await h.waitStatus('web:1', 'online');
  await waitFor(() => h.lines('web:0').some((l) => l.startsWith('listening')) && h.lines('web:1').some((l) => l.startsWith('listening')), { what: 'both to listen' });
  const seen = new Set<string>();
  await waitFor(async () => {
    seen.add(await get(port));
    return seen.size >= 2;
  }, { what: 'answers from two workers', timeoutMs: 15_000, intervalMs: 1 });
  t.is(seen.size, 2);
  await h.supervisor.stop('web');
  t.is(h.info('web:1')?.state.status, 'stopped');
});

test('cluster mode: a worker that never listens is online on its online event, as in pm2, with no lasting reason', async (t) => {
  // listen_timeout far beyond the wait below: online must not come from giving up on 'listening'.
  const h = await harness(t, [appSpec({ name: 'quiet', script: procScript('forever.js'), instances: 2, execMode: 'cluster', listenTimeoutMs: 120_000 })]);
  const info = await h.waitStatus('quiet:0', 'online');
  await h.waitStatus('quiet:1', 'online');
  t.is(info.note, undefined);
});
