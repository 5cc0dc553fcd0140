import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { appSpec, procScript } from '../helpers/app.js';
import { identify, isAlive, survivors } from '../helpers/proc.js';
import { harness } from '../helpers/supervisor.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

test('an app starts, goes online, and stops with its whole process gone', async (t) => {
  const h = await harness(t, [appSpec({ name: 'api' })]);
  const online = await h.waitStatus('api:0', 'online');
  const pid = online.state.status === 'online' ? online.state.pid : 0;
  t.true(isAlive(pid));
  await waitFor(() => h.lines('api:0').some((line) => line.startsWith('forever started')), { what: 'the first line' });
  const result = await h.supervisor.stop('api');
  t.deepEqual(result, { ok: true, instances: ['api:0'] });
  t.is(h.info('api:0')?.state.status, 'stopped');
  t.false(isAlive(pid));
});

test('a crash inside min_uptime restarts until max_restarts, then errors with the reason', async (t) => {
  const h = await harness(t, [appSpec({ name: 'crash', script: procScript('exit-after.js'), args: ['3', '0'], maxRestarts: 2, minUptimeMs: 5000 })]);
  const errored = await h.waitStatus('crash:0', 'errored');
  t.is(errored.state.restarts, 2);
  t.is(errored.state.status === 'errored' ? errored.state.reason : '', 'exited with code 3; 3 exits in a row within min_uptime 5000ms (max_restarts 2)');
  const spawns = h.events.filter((e) => e.type === 'state' && e.instance.id === 'crash:0' && e.instance.state.status === 'starting' && e.instance.state.pid !== undefined);
  t.is(spawns.length, 3);
});

test('stop_exit_codes and autorestart: false leave the instance exited', async (t) => {
  const h = await harness(t, [
    appSpec({ name: 'clean', script: procScript('exit-after.js'), args: ['0', '0'], stopExitCodes: [0] }),
    appSpec({ name: 'once', script: procScript('exit-after.js'), args: ['4', '0'], autorestart: false }),
  ]);
  const clean = await h.waitStatus('clean:0', 'exited');
  t.like(clean.state, { code: 0, restarts: 0 });
  const once = await h.waitStatus('once:0', 'exited');
  t.like(once.state, { code: 4, restarts: 0 });
});

test('restart_delay holds the instance in backoff before the next start', async (t) => {
  const h = await harness(t, [appSpec({ name: 'slow', script: procScript('exit-after.js'), args: ['1', '0'], restartDelayMs: 400 })]);
  await waitFor(() => (h.info('slow:0')?.state.restarts ?? 0) >= 1, { what: 'a restart' });
  // Judged by the states' own timestamps, not by when the test happened to look.
  const states = h.events.flatMap((e) => (e.type === 'state' && e.instance.id === 'slow:0' ? [e.instance.state] : []));
  const backoffAt = states.findIndex((s) => s.status === 'backoff');
  const backoff = states[backoffAt];
  const next = states.slice(backoffAt).find((s) => s.status === 'starting');
  if (backoff?.status !== 'backoff' || next?.status !== 'starting') return t.fail(`unexpected states: ${states.map((s) => s.status).join(' → ')}`);
  const exit = states.slice(0, backoffAt).reverse().find((s) => s.status === 'starting' || s.status === 'online');
  const exitedBy = exit && 'since' in exit ? exit.since : 0;
  t.true(backoff.retryAt - exitedBy >= 400, `retryAt is ${backoff.retryAt - exitedBy} ms after the start`);
  t.true(next.since >= backoff.retryAt, `started ${backoff.retryAt - next.since} ms before retryAt`);
});

test('a child that ignores the stop signal is killed after kill_timeout', async (t) => {
  const h = await harness(t, [appSpec({ name: 'stubborn', script: procScript('ignore-term.js'), killSignal: 'SIGTERM', killTimeoutMs: 300 })]);
  const online = await h.waitStatus('stubborn:0', 'online');
  await waitFor(() => h.lines('stubborn:0').length > 0, { what: 'the handler to be installed' });
  const pid = online.state.status === 'online' ? online.state.pid : 0;
  const started = Date.now();
  await h.supervisor.stop('stubborn');
  t.true(Date.now() - started >= 300);
  t.false(isAlive(pid));
  t.is(h.info('stubborn:0')?.note, 'did not stop within kill_timeout 300ms; killed');
});

for (const escape of [false, true]) {
  test(`stop takes the whole tree, grandchildren ${escape ? 'that left the group' : 'in the group'} included`, async (t) => {
    const pidfile = path.join(tempDir(), 'pids');
    const h = await harness(t, [appSpec({ name: 'tree', script: procScript('tree.js'), args: escape ? [pidfile, 'escape'] : [pidfile], killTimeoutMs: 500 })]);
    await h.waitStatus('tree:0', 'online');
    // tree.js writes its pids in one write once all are spawned; a file read before that is empty.
    const pids = await waitFor(() => (fs.existsSync(pidfile) && fs.readFileSync(pidfile, 'utf8').endsWith('\n') ? fs.readFileSync(pidfile, 'utf8').trim().split('\n').map(Number) : undefined), { what: 'the pid file' });
    t.is(pids.length, escape ? 3 : 2);
    const tree = identify(pids);
    if (!tree) return t.fail(`not all of ${pids.join(', ')} are alive`);
    const outcome = await h.supervisor.stop('tree');
    t.deepEqual(survivors(tree), [], `the stop answered ${JSON.stringify(outcome)}, the instance is ${JSON.stringify(h.info('tree:0'))}; the supervisor is ${process.pid}`);
  });
}

test('instances are addressable, each with its own index', async (t) => {
  const h = await harness(t, [appSpec({ name: 'api', instances: 2 })]);
  await h.waitStatus('api:0', 'online');
  await h.waitStatus('api:1', 'online');
  await waitFor(() => h.lines('api:1').some((l) => l.includes('instance=1')), { what: 'instance 1 output' });
  t.deepEqual(await h.supervisor.restart('api:1'), { ok: true, instances: ['api:1'] });
  await h.waitStatus('api:1', 'online');
  t.is(h.info('api:1')?.state.restarts, 1);
  t.is(h.info('api:0')?.state.restarts, 0);
  t.like(await h.supervisor.restart('nope'), { ok: false, code: 'unknown_target' });
});

test('bad input at run time errors only that instance, with a clear reason', async (t) => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'tool'), '#!/bin/sh\necho hi\n', { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'plain-tool'), 'echo hi\n', { mode: 0o644 });
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'nu-noexec-cmd'), '#!/bin/sh\n', { mode: 0o644 });
  const h = await harness(t, [
    appSpec({ name: 'noexecnone', script: 'plain-tool', interpreter: 'none', cwd: dir }),
    appSpec({ name: 'noexecpath', script: 'nu-noexec-cmd', cwd: dir }),
    appSpec({ name: 'missing', script: './nope.js', cwd: dir }),
    appSpec({ name: 'nocwd', cwd: path.join(dir, 'absent') }),
    appSpec({ name: 'noexec', script: './tool', cwd: dir }),
    appSpec({ name: 'nocmd', script: 'definitely-not-a-command-xyz', cwd: dir }),
    appSpec({ name: 'fine' }),
  ], { parentEnv: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH ?? ''}` } });
  const reason = async (id: string): Promise<string> => {
    const info = await h.waitStatus(id, 'errored');
    return info.state.status === 'errored' ? info.state.reason : '';
  };
  t.is(await reason('missing:0'), `script ${path.join(dir, 'nope.js')} does not exist`);
  t.is(await reason('nocwd:0'), `cwd ${path.join(dir, 'absent')} does not exist`);
  t.is(await reason('noexec:0'), `${path.join(dir, 'tool')} exists but is not executable (chmod +x it, or set an interpreter)`);
  // A script that exists says so, wherever it was found: not "not found".
  t.is(await reason('noexecnone:0'), `${path.join(dir, 'plain-tool')} exists but is not executable (chmod +x it, or set an interpreter)`);
  t.is(await reason('noexecpath:0'), `${path.join(dir, 'bin', 'nu-noexec-cmd')} exists but is not executable (chmod +x it, or set an interpreter)`);
  t.is(await reason('nocmd:0'), `"definitely-not-a-command-xyz" is neither a file in ${dir} nor a command on PATH`);
  await h.waitStatus('fine:0', 'online');
});

test('shell command lines and executables run, with args', async (t) => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'tool'), '#!/bin/sh\necho "tool says $1"\nexec sleep 100\n', { mode: 0o755 });
  const h = await harness(t, [
    appSpec({ name: 'line', script: 'echo from-shell && exec sleep 100', cwd: dir }),
    appSpec({ name: 'exe', script: './tool', args: ['hello'], cwd: dir }),
  ]);
  await waitFor(() => h.lines('line:0').includes('from-shell'), { what: 'shell output' });
  await waitFor(() => h.lines('exe:0').includes('tool says hello'), { what: 'tool output' });
  t.pass();
});

test('a named port that is already taken errors that instance', async (t) => {
  const net = await import('node:net');
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.teardown(() => server.close());
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const h = await harness(t, [appSpec({ name: 'web', ports: { PORT: port } })]);
  const errored = await h.waitStatus('web:0', 'errored');
  t.is(errored.state.status === 'errored' ? errored.state.reason : '', `port ${port} (PORT) is already in use`);
});

test('a stop that arrives while a start is being prepared spawns nothing', async (t) => {
  const dir = tempDir();
  const pidfile = path.join(dir, 'pids');
  const h = await harness(t, [appSpec({ name: 'late', script: procScript('tree.js'), args: [pidfile], autostart: false, ports: { PORT: 0 } }), appSpec({ name: 'sentinel' })]);
  const started = h.supervisor.start('late');
  const stopped = h.supervisor.stop('late');
  await Promise.all([started, stopped]);
  await h.waitStatus('sentinel:0', 'online');
  await waitFor(() => h.lines('sentinel:0').length > 0, { what: 'the sentinel to run' });
  t.is(h.info('late:0')?.state.status, 'stopped');
  t.false(fs.existsSync(pidfile));
});
