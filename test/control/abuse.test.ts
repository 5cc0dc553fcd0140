import net from 'node:net';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { cjsConfig, upProject } from '../helpers/control.js';
import { FIXTURES } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

function rawConnection(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath, () => resolve(socket));
    socket.once('error', reject);
  });
}

const BAD: readonly string[] = [
  '{"v":1,"id":1,"type":"list"',
  'not json at all',
  '[]',
  '42',
  '{"v":99,"id":1,"type":"list"}',
  '{"v":1,"id":-3,"type":"list"}',
  '{"v":1,"id":1,"type":"launch-missiles"}',
  '{"v":1,"id":1,"type":"restart","target":{}}',
  '{"v":1,"id":1,"type":"signal","signal":"SIGFOO","target":"x"}',
  '{"v":1,"id":1,"type":"logs","lines":"many"}',
];

test('10,000 malformed, oversized and truncated messages each get an error reply; the supervisor still answers', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([{ name: 'solo', script: path.join(FIXTURES, 'procs', 'forever.js') }]) });
  await p.status('solo:0', 'online');
  const socket = await rawConnection(p.socketPath);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const oversized = `{"v":1,"id":5,"type":"list","pad":"${'x'.repeat(2 * 1024 * 1024)}"}`;
  const total = 10_000;
  for (let i = 0; i < total; i++) {
    const message = i % 1000 === 999 ? oversized : (BAD[i % BAD.length] ?? '');
    if (!socket.write(`${message}\n`)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  socket.write('{"v":1,"id":77,"type":"list"}\n');
  const replies = await waitFor(() => {
    const lines = received.split('\n').filter(Boolean);
    return lines.length >= total + 1 ? lines.map((line) => JSON.parse(line) as { id: number | null; ok: boolean; error?: { code: string } }) : undefined;
  }, { timeoutMs: 30_000, what: `${total + 1} replies (have ${received.split('\n').length - 1})` });
  const errors = replies.filter((reply) => !reply.ok);
  t.is(errors.length, total);
  const codes = new Set(errors.map((reply) => reply.error?.code));
  t.deepEqual([...codes].sort(), ['bad_json', 'invalid_field', 'not_an_object', 'too_large', 'unknown_type', 'unsupported_version']);
  t.is(errors.filter((reply) => reply.error?.code === 'too_large').length, 10);
  t.like(replies.find((reply) => reply.id === 77), { ok: true });

  socket.end('{"v":1,"id":78,"type":"li');
  await waitFor(() => received.includes('the connection ended in the middle of a message'), { what: 'the truncated-message reply' });
  const ls = await runCli(['ls'], { cwd: p.dir });
  t.is(ls.code, 0);
  t.regex(ls.stdout, /solo:0\s+default\s+online/);
});

test('a client that subscribes and never reads stalls neither the app nor the supervisor', async (t) => {
  const count = 60_000;
  const p = await upProject(t, {
    'ecosystem.config.cjs': cjsConfig([{ name: 'flood', script: path.join(FIXTURES, 'procs', 'lines.js'), args: [String(count), 'stay'], autostart: false }]),
  });
  const stuck = await rawConnection(p.socketPath);
  stuck.write('{"v":1,"id":1,"type":"subscribe","logs":"all"}\n');
  stuck.pause();
  t.teardown(() => stuck.destroy());
  await p.client.start('flood');
  const last = await waitFor(async () => {
    const tail = await p.client.logs('flood', { lines: 1 });
    return tail.ok && tail.lines[0]?.line === `line ${count}` ? tail.lines[0] : undefined;
  }, { timeoutMs: 45_000, what: `the flood to reach line ${count}` });
  t.is(last.line, `line ${count}`);
  const ls = await runCli(['ls', '--json'], { cwd: p.dir });
  t.is(ls.code, 0);
  t.regex(ls.stdout, /"status":"online"/);
});
