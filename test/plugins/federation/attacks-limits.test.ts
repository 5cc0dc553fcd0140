import net from 'node:net';
import test from 'ava';
import nacl from 'tweetnacl';
import { startClient } from '../../../plugins/federation/handshake-client.js';
import { addressGroup, DEFAULT_LIMITS } from '../../../plugins/federation/limits.js';
import { waitFor } from '../../helpers/wait.js';
import { honestSessionWorks, pinnedKey, RawPeer, startMaster } from './harness.js';

/** Limits before authentication: deadlines, socket counts, frame sizes, upgrade rules. */

test.serial('no handshake within the deadline: the socket is destroyed, one audit line, the master still serves', async (t) => {
  // Shorter than the default, long enough for the honest join below on a loaded machine.
  const m = await startMaster({ handshakeDeadlineMs: 2000 });
  t.teardown(() => m.close());
  const honest = await pinnedKey(m, 'honest');
  const idle = new RawPeer(m.url);
  await idle.open();
  const started = performance.now();
  const code = await idle.closed;
  t.true(performance.now() - started >= 1900);
  t.is(code, 1006);
  t.deepEqual(m.refusals().map((e) => [e.action, e.detail]), [['handshake', 'no handshake within 2000 ms']]);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('the default handshake deadline is 5 s, and it is the one the master applies', async (t) => {
  t.is(DEFAULT_LIMITS.handshakeDeadlineMs, 5000);
  const m = await startMaster();
  t.teardown(() => m.close());
  const socket = net.connect(m.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = performance.now();
  await new Promise((resolve) => socket.once('close', resolve));
  const elapsed = performance.now() - started;
  t.true(elapsed > 4500 && elapsed < 6500, `${elapsed} ms`);
  t.deepEqual(m.refusals().map((e) => e.detail), ['no handshake within 5000 ms']);
});

test.serial('1,000 idle sockets from one address: 16 are held, the rest are closed at once, one audit line', async (t) => {
  const m = await startMaster();
  t.teardown(() => m.close());
  const honest = await pinnedKey(m, 'honest');
  const sockets: net.Socket[] = [];
  t.teardown(() => sockets.forEach((s) => s.destroy()));
  let closedEarly = 0;
  for (let i = 0; i < 1000; i++) {
    const socket = net.connect(m.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => closedEarly++);
    sockets.push(socket);
  }
  await waitFor(() => closedEarly >= 984, { timeoutMs: 5000, what: '984 refused sockets' });
  t.is(m.master.gate.pendingSockets, 16);
  t.is(closedEarly, 984);
  await waitFor(() => closedEarly === 1000, { timeoutMs: 8000, what: 'the held sockets reaped by the deadline' });
  t.is(m.master.gate.pendingSockets, 0);
  t.is(m.refusals().length, 1);
  t.regex(m.refusals()[0]?.detail ?? '', /over 16 unauthenticated sockets per address/);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('oversized frame before the handshake ends the socket, one audit line', async (t) => {
  const m = await startMaster();
  t.teardown(() => m.close());
  const honest = await pinnedKey(m, 'honest');
  const peer = new RawPeer(m.url);
  await peer.open();
  peer.ws.send(new Uint8Array(70_000));
  const code = await peer.closed;
  t.true(code === 1009 || code === 4413, String(code));
  t.deepEqual(m.refusals().map((e) => [e.action, e.detail]), [['handshake', 'an oversized frame during the handshake']]);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('a frame of any length but the exact HELLO lengths before the handshake ends the socket', async (t) => {
  const m = await startMaster();
  t.teardown(() => m.close());
  const honest = await pinnedKey(m, 'honest');
  const peer = new RawPeer(m.url);
  await peer.open();
  peer.ws.send(new Uint8Array(1000));
  t.is(await peer.closed, 4400);
  t.deepEqual(m.refusals().map((e) => e.action), ['handshake:bad_layout']);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('a text frame during the handshake ends the socket', async (t) => {
  const m = await startMaster();
  t.teardown(() => m.close());
  const peer = new RawPeer(m.url);
  await peer.open();
  peer.ws.send('x'.repeat(100));
  t.is(await peer.closed, 4400);
  t.deepEqual(m.refusals().map((e) => e.detail), ['a text frame during the handshake']);
});

test.serial('an upgrade with an Origin header or without the subprotocol is refused', async (t) => {
  const m = await startMaster({ auditPerAddress: { burst: 5, perSecond: 1 } });
  t.teardown(() => m.close());
  const honest = await pinnedKey(m, 'honest');
  t.is(await new RawPeer(m.url, { origin: 'https://evil.example' }).closed, 403);
  t.is(await new RawPeer(m.url, { protocol: '' }).closed, 403);
  t.is(await new RawPeer(m.url, { protocol: 'other' }).closed, 403);
  t.deepEqual(m.refusals().map((e) => e.action), ['upgrade', 'upgrade', 'upgrade']);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('HELLOs per address: a burst of 10, then refused until the bucket refills', async (t) => {
  const m = await startMaster({ auditPerAddress: { burst: 100, perSecond: 1 } });
  t.teardown(() => m.close());
  const peers = Array.from({ length: 14 }, () => new RawPeer(m.url));
  await Promise.all(peers.map((peer) => peer.open()));
  for (const peer of peers) peer.ws.send(startClient({ ...nacl.sign.keyPair(), masterKey: m.identity.publicKey }, nacl.randomBytes).m1);
  const codes = await Promise.all(peers.map((peer) => peer.closed));
  t.is(codes.filter((c) => c === 4401).length, 10);
  t.is(codes.filter((c) => c === 4429).length, 4);
});

test.serial('once an address has spent its HELLOs, its next socket is closed at accept: no HTTP, no ws, no crypto', async (t) => {
  const m = await startMaster({ auditPerAddress: { burst: 100, perSecond: 1 } });
  t.teardown(() => m.close());
  const peers = Array.from({ length: 10 }, () => new RawPeer(m.url));
  await Promise.all(peers.map((peer) => peer.open()));
  for (const peer of peers) peer.ws.send(startClient({ ...nacl.sign.keyPair(), masterKey: m.identity.publicKey }, nacl.randomBytes).m1);
  await Promise.all(peers.map((peer) => peer.closed));
  const socket = net.connect(m.port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  await new Promise((resolve) => socket.once('close', resolve));
  t.is(answer, '', 'closed without an HTTP answer');
  t.regex(m.refusals().at(-1)?.detail ?? '', /over 5 HELLOs a second \(burst 10\) from this address/);
  t.is(m.refusals().at(-1)?.action, 'connect');
});

test.serial('address groups: IPv4 as is, IPv4-mapped unwrapped, IPv6 by /64', (t) => {
  t.is(addressGroup('127.0.0.1'), '127.0.0.1');
  t.is(addressGroup('::ffff:10.0.0.2'), '10.0.0.2');
  t.is(addressGroup('2001:db8:1:2:3:4:5:6'), addressGroup('2001:db8:1:2::9'));
  t.not(addressGroup('2001:db8:1:2::1'), addressGroup('2001:db8:1:3::1'));
  t.is(addressGroup('::1'), '0:0:0:0::/64');
});
