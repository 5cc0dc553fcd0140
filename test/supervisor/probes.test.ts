import test from 'ava';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { logMatcher, runProbe, substituteVars } from '../../src/supervisor/probes.js';
import { isAlive } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const context = (overrides: Partial<Parameters<typeof runProbe>[1]> = {}): Parameters<typeof runProbe>[1] => ({
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  cwd: process.cwd(),
  timeoutMs: 10_000, // generous: a loaded machine can stall a loopback answer for seconds
  ...overrides,
});

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** An HTTP server whose answer per path is given by `routes` (status codes); unknown paths hang. */
async function httpServer(t: { teardown(fn: () => void): void }, routes: Readonly<Record<string, number>>): Promise<number> {
  const server = http.createServer((req, res) => {
    const status = routes[req.url ?? ''];
    if (status !== undefined) res.writeHead(status, { location: '/' }).end('x');
  });
  const port = await listen(server);
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return port;
}

/** A port on 127.0.0.1 that nothing listens on (it was just released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('substituteVars replaces ${VAR} and $VAR, keeps unknown variables as written', (t) => {
  const env = { PORT: '3000', HOST: '127.0.0.1' };
  t.is(substituteVars('http://${HOST}:$PORT/health', env), 'http://127.0.0.1:3000/health');
  t.is(substituteVars('${PORT}${PORT}', env), '30003000');
  t.is(substituteVars('http://x:${NOPE}/', env), 'http://x:${NOPE}/');
  t.is(substituteVars('no vars', env), 'no vars');
});

test('http: 2xx and 3xx are ready, other statuses say what answered', async (t) => {
  const port = await httpServer(t, { '/ok': 200, '/moved': 302, '/down': 503, '/gone': 404 });
  const url = (p: string): string => `http://127.0.0.1:${port}${p}`;
  t.deepEqual(await runProbe({ kind: 'http', url: url('/ok') }, context()), { ok: true });
  t.deepEqual(await runProbe({ kind: 'http', url: url('/moved') }, context()), { ok: true });
  t.deepEqual(await runProbe({ kind: 'http', url: url('/down') }, context()), { ok: false, reason: `${url('/down')} answered 503` });
  t.deepEqual(await runProbe({ kind: 'http', url: url('/gone'), status: 404 }, context()), { ok: true });
});

test('http: the URL takes variables from the env', async (t) => {
  const port = await httpServer(t, { '/health': 200 });
  const result = await runProbe({ kind: 'http', url: 'http://127.0.0.1:${PORT}/health' }, context({ env: { PORT: String(port) } }));
  t.deepEqual(result, { ok: true });
});

test('http: refused connection, timeout and invalid URL are reasons, not exceptions', async (t) => {
  const closed = await closedPort();
  t.deepEqual(await runProbe({ kind: 'http', url: `http://127.0.0.1:${closed}/health` }, context()), {
    ok: false,
    reason: `connection refused on 127.0.0.1:${closed}`,
  });
  const port = await httpServer(t, {});
  t.deepEqual(await runProbe({ kind: 'http', url: `http://127.0.0.1:${port}/hangs` }, context({ timeoutMs: 150 })), {
    ok: false,
    reason: 'timed out after 150 ms',
  });
  const invalid = await runProbe({ kind: 'http', url: 'http://127.0.0.1:${NOPE}/' }, context());
  t.false(invalid.ok);
  t.regex(invalid.ok ? '' : invalid.reason, /invalid URL .*\$\{NOPE\}/);
});

test('http: an abort signal ends the probe', async (t) => {
  const port = await httpServer(t, {});
  const controller = new AbortController();
  const pending = runProbe({ kind: 'http', url: `http://127.0.0.1:${port}/hangs` }, context({ timeoutMs: 10_000, signal: controller.signal }));
  controller.abort();
  t.deepEqual(await pending, { ok: false, reason: 'aborted' });
});

test('tcp: ready when something listens, refused otherwise; the port may be a variable', async (t) => {
  const server = net.createServer((socket) => socket.destroy());
  const port = await listen(server);
  t.teardown(() => server.close());
  t.deepEqual(await runProbe({ kind: 'tcp', host: '127.0.0.1', port }, context()), { ok: true });
  t.deepEqual(await runProbe({ kind: 'tcp', host: '127.0.0.1', port: '${PORT}' }, context({ env: { PORT: String(port) } })), { ok: true });
  t.deepEqual(await runProbe({ kind: 'tcp', host: '127.0.0.1', port: '$PORT' }, context({ env: { PORT: String(port) } })), { ok: true });
  const closed = await closedPort();
  t.deepEqual(await runProbe({ kind: 'tcp', host: '127.0.0.1', port: closed }, context()), {
    ok: false,
    reason: `connection refused on 127.0.0.1:${closed}`,
  });
});

test('tcp: an unset port variable is named in the reason', async (t) => {
  t.deepEqual(await runProbe({ kind: 'tcp', host: '127.0.0.1', port: '${PORT}' }, context({ env: {} })), {
    ok: false,
    reason: 'invalid port "${PORT}" (PORT is not set)',
  });
  t.deepEqual(await runProbe({ kind: 'tcp', host: '127.0.0.1', port: '${PORT}' }, context({ env: { PORT: 'abc' } })), {
    ok: false,
    reason: 'invalid port "abc"',
  });
});

test('exec: exit 0 is ready; a failure gives the code and the last output line', async (t) => {
  t.deepEqual(await runProbe({ kind: 'exec', command: 'true' }, context()), { ok: true });
  t.deepEqual(await runProbe({ kind: 'exec', command: 'exit 1' }, context()), { ok: false, reason: 'exited with code 1' });
  t.deepEqual(await runProbe({ kind: 'exec', command: 'echo first; echo "not ready yet" >&2; exit 3' }, context()), {
    ok: false,
    reason: 'exited with code 3: not ready yet',
  });
});

test('exec: runs in the given cwd with the given env', async (t) => {
  const dir = fs.realpathSync(tempDir());
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', MARKER: 'yes' };
  t.deepEqual(await runProbe({ kind: 'exec', command: `test "$MARKER" = yes && test "$(pwd)" = "${dir}"` }, context({ env, cwd: dir })), { ok: true });
  t.false((await runProbe({ kind: 'exec', command: 'test "$MARKER" = yes' }, context({ env: { PATH: env.PATH }, cwd: dir }))).ok);
});

test('exec: a timeout kills the whole process group', async (t) => {
  const dir = tempDir();
  const pidfile = path.join(dir, 'pid');
  // The background sleep is in the shell's group; it writes its pid before the shell blocks on `wait`.
  const command = `sleep 30 & echo $! > ${pidfile}; wait`;
  const result = await runProbe({ kind: 'exec', command }, context({ timeoutMs: 300 }));
  t.deepEqual(result, { ok: false, reason: 'timed out after 300 ms' });
  const pid = Number(fs.readFileSync(pidfile, 'utf8'));
  t.teardown(() => {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  await waitFor(() => !isAlive(pid), { timeoutMs: 3000, what: `background sleep ${pid} to die` });
  t.pass();
});

test('exec: a background job left by a successful command does not outlive the probe', async (t) => {
  const dir = tempDir();
  const pidfile = path.join(dir, 'pid');
  const result = await runProbe({ kind: 'exec', command: `sleep 30 > /dev/null 2>&1 & echo $! > ${pidfile}` }, context());
  t.deepEqual(result, { ok: true });
  const pid = Number(fs.readFileSync(pidfile, 'utf8'));
  t.teardown(() => {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  await waitFor(() => !isAlive(pid), { timeoutMs: 3000, what: `background sleep ${pid} to die` });
  t.pass();
});

test('exec: a missing command is a failure with the shell message', async (t) => {
  const result = await runProbe({ kind: 'exec', command: 'definitely-not-a-command-xyz' }, context());
  t.false(result.ok);
  t.regex(result.ok ? '' : result.reason, /^exited with code 127: .*not found/);
});

test('log: logMatcher is a regular expression over the line without colour codes', (t) => {
  const ready = logMatcher('listening on \\d+');
  t.true(ready('server listening on 3000'));
  t.true(ready('\u001b[32mserver listening on 3000\u001b[39m'));
  t.false(ready('listening on port'));
  const anchored = logMatcher('^ready$');
  t.true(anchored('\u001b[1mready\u001b[22m'));
  t.false(anchored('not ready'));
  // Stateless: a matcher gives the same answer every time.
  t.true(ready('listening on 1') && ready('listening on 1'));
});

test('log: runProbe on a log check explains that it is matched on lines', async (t) => {
  const result = await runProbe({ kind: 'log', pattern: 'ready' }, context());
  t.false(result.ok);
});
