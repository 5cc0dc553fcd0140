import net from 'node:net';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { PluginCallHandler } from '../../src/control/answer.js';
import { connectControl } from '../../src/control/client.js';
import { ControlError } from '../../src/control/errors.js';
import { PROTOCOL_RANGE } from '../../src/control/protocol.js';
import { startControlServer } from '../../src/control/server.js';
import { appSpec } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { tempDir } from '../helpers/tmp.js';
import { FakeController } from '../tui/fake-controller.js';
import { waitFor } from '../helpers/wait.js';

/** A real supervisor with one app, served on a real socket in a temp state folder. */
async function served(t: ExecutionContext, plugins?: PluginCallHandler): Promise<string> {
  const h = await harness(t, [appSpec({ name: 'solo' })]);
  const server = await startControlServer(h.supervisor, { stateDir: path.join(tempDir('nu-server-'), '.node-unit'), project: 'served', version: '9.9.9', ...(plugins ? { plugins } : {}) });
  t.teardown(() => server.close());
  return server.path;
}

/** Sends raw lines and collects the parsed replies, in the order of their ids (errors found while reading come first). */
async function exchange(socketPath: string, lines: readonly string[]): Promise<readonly Record<string, unknown>[]> {
  const socket = net.createConnection(socketPath);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.write(lines.map((line) => `${line}\n`).join(''));
  const replies = await waitFor(() => {
    const parsed = received.split('\n').filter(Boolean);
    return parsed.length >= lines.length ? parsed.map((line) => JSON.parse(line) as Record<string, unknown>).sort((a, b) => Number(a.id) - Number(b.id)) : undefined;
  }, { what: `${lines.length} replies` });
  socket.destroy();
  return replies;
}

test('hello: the server states its version range; a client whose range does not meet it is told both', async (t) => {
  const socketPath = await served(t);
  const [future, old, upsideDown] = await exchange(socketPath, [
    '{"v":2,"id":1,"type":"hello","min":2,"max":3}',
    '{"v":1,"id":2,"type":"hello"}',
    '{"v":1,"id":3,"type":"hello","min":3,"max":1}',
  ]);
  t.like(future, { id: 1, ok: false, error: { code: 'unsupported_version' } });
  t.regex(String((future?.error as { message: string }).message), /this client speaks protocol versions 2–3; the supervisor \(node-unit 9\.9\.9, pid \d+\) speaks version 1/);
  t.like(old, { id: 2, ok: true, result: { project: 'served', version: '9.9.9', protocol: 1, protocols: PROTOCOL_RANGE } });
  t.like(upsideDown, { id: 3, ok: false, error: { code: 'invalid_field' } });
});

test('ping is answered with pong; the client measures the round trip', async (t) => {
  const socketPath = await served(t);
  const [reply] = await exchange(socketPath, ['{"v":1,"id":7,"type":"ping"}']);
  t.like(reply, { id: 7, ok: true, result: { pong: true } });
  const client = await connectControl(socketPath);
  t.teardown(() => client.close());
  t.is(client.rtt, undefined);
  const rtt = await client.ping();
  t.true(rtt >= 0 && rtt < 5000);
  t.is(client.rtt, rtt);
  t.like(await client.hello(), { project: 'served', protocol: 1 });
});

const echo: PluginCallHandler = async (plugin, method, params) => {
  if (plugin !== 'echo') throw new ControlError('unknown_plugin', `no plugin named "${plugin}" is loaded; loaded: echo`);
  if (method === 'say') return { said: params };
  if (method === 'nothing') return undefined;
  if (method === 'fail') throw new Error('the echo broke');
  throw new ControlError('unknown_method', `plugin "echo" has no method "${method}"; it has: say, nothing, fail`);
};

test('a plugin call reaches the handler the server was given; unknown plugins, methods and failures are clear errors', async (t) => {
  const client = await connectControl(await served(t, echo));
  t.teardown(() => client.close());
  t.deepEqual(await client.callPlugin('echo', 'say', { words: ['a', 1] }), { said: { words: ['a', 1] } });
  t.deepEqual(await client.callPlugin('echo', 'say'), { said: null }, 'params default to null');
  t.deepEqual(await client.callPlugin('echo', 'nothing', 1), null);
  const failures = await Promise.all(
    [client.callPlugin('mesh', 'say', 1), client.callPlugin('echo', 'dance', 1), client.callPlugin('echo', 'fail', 1)].map((call) => call.then(() => undefined, (error: unknown) => error)),
  );
  t.deepEqual(
    failures.map((error) => (error instanceof ControlError ? [error.code, error.message] : String(error))),
    [
      ['unknown_plugin', 'no plugin named "mesh" is loaded; loaded: echo'],
      ['unknown_method', 'plugin "echo" has no method "dance"; it has: say, nothing, fail'],
      ['plugin_failed', 'plugin "echo" failed in fail: the echo broke'],
    ],
  );
  t.deepEqual((await client.list()).map((info) => info.id), ['solo:0'], 'the connection is still good');
});

test('a plugin call to a server given no handler says no plugin is loaded; a nameless call is refused', async (t) => {
  const socketPath = await served(t);
  const client = await connectControl(socketPath);
  t.teardown(() => client.close());
  const error = await t.throwsAsync(client.callPlugin('federation', 'nodes', {}));
  t.like(error, { code: 'unknown_plugin', message: 'no plugin named "federation" is loaded (this supervisor runs no plugins)' });
  const [nameless] = await exchange(socketPath, ['{"v":1,"id":1,"type":"plugin","plugin":"","method":"x"}']);
  t.like(nameless, { ok: false, error: { code: 'invalid_field', message: 'plugin: plugin: expected a plugin name, got "" (string)' } });
});

test("add, delete, scale and reset reach the supervisor and their replies are read; a controller without them says it cannot", async (t) => {
  const client = await connectControl(await served(t));
  t.teardown(() => client.close());
  t.deepEqual(await client.scale('solo', { kind: 'by', delta: 1 }), { ok: true, instances: ['solo:0', 'solo:1'] });
  t.like(await client.reset('solo'), { ok: true });
  t.like(await client.restart('solo', { updateEnv: true }), { ok: false });
  t.like(await client.deleteApp('nobody'), { ok: false, code: 'unknown_target' });
  const server = await startControlServer(new FakeController([]), { stateDir: path.join(tempDir('nu-server-'), '.node-unit'), project: 'fake', version: '9.9.9' });
  t.teardown(() => server.close());
  const viewer = await connectControl(server.path);
  t.teardown(() => viewer.close());
  t.deepEqual(await viewer.addApp({ script: 'a.js' }, '/srv'), { ok: false, code: 'failed', message: 'this supervisor cannot start a script' });
  t.deepEqual(await viewer.deleteApp('api'), { ok: false, code: 'failed', message: 'this supervisor cannot delete' });
  t.deepEqual(await viewer.scale('api', { kind: 'to', count: 2 }), { ok: false, code: 'failed', message: 'this supervisor cannot scale' });
  t.deepEqual(await viewer.reset('api'), { ok: false, code: 'failed', message: 'this supervisor cannot reset' });
});
