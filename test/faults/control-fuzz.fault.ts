import net from 'node:net';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { cjsConfig, parseRows, pidOf, upProject } from '../helpers/control.js';
import { waitFor } from '../helpers/wait.js';
import { malformed, seeded, type Random } from './control-garbage.js';
import { PROCS } from './procs.js';

const CONNECTIONS = 4;
const PER_CONNECTION = 2500;
const SEED = 0x5eed;

interface ErrorReply {
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes `data` in chunks of random size, so messages straddle writes at arbitrary bytes. */
async function writeInPieces(socket: net.Socket, data: Buffer, random: Random): Promise<void> {
  for (let at = 0; at < data.length; ) {
    const size = 1 + Math.floor(random() * 65_536);
    if (!socket.write(data.subarray(at, at + size))) await new Promise((resolve) => socket.once('drain', resolve));
    at += size;
  }
}

/** Sends `count` malformed lines on a fresh connection and collects the replies. */
async function flood(socketPath: string, random: Random, count: number): Promise<readonly ErrorReply[]> {
  const socket = await connect(socketPath);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const lines = Array.from({ length: count }, (_, i) => Buffer.concat([malformed(random, i, { oversizedEvery: 1000 }), Buffer.from('\n')]));
  await writeInPieces(socket, Buffer.concat(lines), random);
  const replies = await waitFor(() => {
    const done = received.split('\n').filter(Boolean);
    return done.length >= count ? done : undefined;
  }, { timeoutMs: 60_000, what: `${count} replies` });
  socket.destroy();
  return replies.map((line) => JSON.parse(line) as ErrorReply);
}

test('10,000 random malformed control messages on 4 connections: one error reply each, the apps untouched, ls still answers', async (t) => {
  const apps = [0, 1].map((i) => ({ name: `steady${i}`, script: path.join(PROCS, 'forever.js') }));
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig(apps) });
  const before = await Promise.all(['steady0:0', 'steady1:0'].map((id) => p.status(id, 'online')));

  const random = seeded(SEED);
  const streams = Array.from({ length: CONNECTIONS }, (_, c) => seeded(SEED + c + 1));
  const replies = (await Promise.all(streams.map((stream) => flood(p.socketPath, stream, PER_CONNECTION)))).flat();
  t.is(replies.length, CONNECTIONS * PER_CONNECTION);
  t.deepEqual(replies.filter((reply) => reply.ok), [], 'no malformed message was accepted');
  const codes = new Set(replies.map((reply) => reply.error?.code));
  t.deepEqual([...codes].sort(), ['bad_json', 'invalid_field', 'not_an_object', 'too_large', 'unknown_type', 'unsupported_version']);
  t.true(replies.every((reply) => typeof reply.error?.message === 'string' && reply.error.message.length > 0), 'every error says what was wrong');

  // Connections cut in the middle of a message: ended politely, or destroyed right after the write.
  for (let i = 0; i < 20; i++) {
    const socket = await connect(p.socketPath);
    socket.on('error', () => undefined);
    const partial = malformed(random, i, { oversizedEvery: 0 });
    if (i % 2 === 0) socket.end(partial.subarray(0, Math.max(1, partial.length >> 1)));
    else {
      socket.write(partial);
      socket.destroy();
    }
  }

  t.is(p.up.child.exitCode, null, 'the supervisor is still running');
  const ls = await runCli(['ls', '--json'], { cwd: p.dir });
  t.is(ls.code, 0, ls.stderr);
  const rows = parseRows(ls.stdout);
  t.deepEqual(rows.map((row) => [row.id, row.status]), [['steady0:0', 'online'], ['steady1:0', 'online']]);
  const after = await p.client.list();
  t.deepEqual(after.map(pidOf), before.map(pidOf), 'no app was restarted or stopped');
});
