import test from 'ava';
import { ControlClient } from '../../src/control/client.js';
import { Connection } from '../../src/control/connection.js';
import { memoryPortPair } from '../../src/control/memory-port.js';
import type { MessagePort, PortHandler } from '../../src/control/port.js';
import { waitFor } from '../helpers/wait.js';
import { inProcessSupervisor } from './in-process.js';

interface Recorded {
  readonly messages: unknown[];
  readonly oversized: number[];
  readonly ends: number[];
  readonly closes: (string | undefined)[];
  drains: number;
}

function record(port: MessagePort, extra: Partial<PortHandler> = {}): Recorded {
  const seen: Recorded = { messages: [], oversized: [], ends: [], closes: [], drains: 0 };
  port.attach({
    message: (data) => seen.messages.push(typeof data === 'string' ? JSON.parse(data) : data),
    oversized: (limit) => seen.oversized.push(limit),
    end: (unfinished) => seen.ends.push(unfinished),
    drain: () => seen.drains++,
    close: (reason) => seen.closes.push(reason),
    ...extra,
  });
  return seen;
}

test('messages arrive in order, later than sent, as copies', async (t) => {
  const [a, b] = memoryPortPair();
  const seen = record(b);
  const sent = { n: 1, nested: { list: [1, 2] } };
  a.send(sent);
  a.send({ n: 2 });
  t.deepEqual(seen.messages, [], 'nothing is delivered synchronously');
  sent.nested.list.push(3);
  await waitFor(() => seen.messages.length === 2);
  t.deepEqual(seen.messages, [{ n: 1, nested: { list: [1, 2] } }, { n: 2 }]);
});

test('messages sent before the peer attaches wait for it', async (t) => {
  const [a, b] = memoryPortPair();
  a.send({ early: true });
  await new Promise((resolve) => setImmediate(resolve));
  const seen = record(b);
  await waitFor(() => seen.messages.length === 1);
  t.deepEqual(seen.messages, [{ early: true }]);
});

test('send says false past the high-water mark; drain follows once a paused reader catches up', async (t) => {
  const [a, b] = memoryPortPair({ highWaterMark: 100 });
  const sender = record(a);
  const reader = record(b);
  b.pause();
  const results = Array.from({ length: 5 }, (_, i) => a.send({ pad: 'x'.repeat(30), i }));
  t.deepEqual(results, [true, true, false, false, false]);
  t.true(a.bufferedBytes() > 100);
  await new Promise((resolve) => setImmediate(resolve));
  t.is(reader.messages.length, 0, 'a paused reader gets nothing');
  b.resume();
  await waitFor(() => sender.drains === 1);
  t.is(reader.messages.length, 5);
  t.is(a.bufferedBytes(), 0);
});

test('a message over the limit reaches the handler as oversized', async (t) => {
  const [a, b] = memoryPortPair({ maxMessageBytes: 50 });
  const seen = record(b);
  a.send({ pad: 'x'.repeat(100) });
  a.send({ ok: 1 });
  await waitFor(() => seen.messages.length === 1);
  t.deepEqual(seen.oversized, [50]);
  t.deepEqual(seen.messages, [{ ok: 1 }]);
});

test('end is a half-close: queued messages still go out, the other way still works, both ends close', async (t) => {
  const [a, b] = memoryPortPair();
  const left = record(a);
  const right = record(b);
  a.send({ last: true });
  a.end();
  t.false(a.writable);
  t.false(a.send({ late: true }));
  await waitFor(() => right.ends.length === 1);
  t.deepEqual(right.messages, [{ last: true }]);
  t.true(b.send({ reply: true }));
  b.end();
  await waitFor(() => left.closes.length === 1 && right.closes.length === 1);
  t.deepEqual(left.messages, [{ reply: true }]);
  t.true(a.closed && b.closed);
});

test('destroy closes both sides at once and drops what was queued', async (t) => {
  const [a, b] = memoryPortPair();
  const left = record(a);
  const right = record(b);
  a.send({ lost: true });
  a.destroy('gone');
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(left.closes, ['gone']);
  t.deepEqual(right.closes, [undefined]);
  t.deepEqual(right.messages, []);
  t.false(b.send({ x: 1 }));
});

test('a connection closing over a memory port ends both sides at once: the client hears that the server closed', async (t) => {
  const local = await inProcessSupervisor([]);
  t.teardown(() => local.dispose());
  const [clientSide, serverSide] = memoryPortPair();
  const connection = new Connection(serverSide, { controller: local.supervisor, identity: { pid: process.pid, project: 'memory', version: '0.0.0' }, plugins: undefined });
  const client = new ControlClient(clientSide);
  t.deepEqual(await client.list(), []);
  await connection.close(60_000);
  await client.closed;
  t.like(client.closeReason, { code: 'closed', message: 'the supervisor closed the connection' });
  t.true(clientSide.closed && serverSide.closed);
});
