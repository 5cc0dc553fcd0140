import path from 'node:path';
import test from 'ava';
import nacl from 'tweetnacl';
import { WebSocketServer } from 'ws';
import { AuditLog } from '../../../plugins/federation/audit.js';
import { nodeCryptoOps } from '../../../plugins/federation/crypto.js';
import { FrameSealer } from '../../../plugins/federation/frames.js';
import { initialServerState, serverStep, type ServerState } from '../../../plugins/federation/handshake-server.js';
import { SUBPROTOCOL } from '../../../plugins/federation/handshake-wire.js';
import { loadOrCreateIdentity } from '../../../plugins/federation/identity.js';
import { DEFAULT_LIMITS } from '../../../plugins/federation/limits.js';
import { WorkerLink, writeMasterPin } from '../../../plugins/federation/worker.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';
import { honestSessionWorks, pinnedKey, RawPeer, startMaster, type MasterHarness } from './harness.js';

/** Frame attacks on an authenticated session: one check (open with the expected counter) refuses them all. */

const snapshot = (apps: number): object => ({ v: 1, type: 'snapshot', version: 't', instances: Array.from({ length: apps }, (_, i) => ({ name: `a${i}` })) });

async function session(t: { teardown(fn: () => unknown): void }): Promise<{ m: MasterHarness; peer: RawPeer; honest: nacl.SignKeyPair }> {
  const m = await startMaster();
  t.teardown(() => m.close());
  const honest = await pinnedKey(m, 'honest');
  const key = await pinnedKey(m, 'w1');
  const peer = new RawPeer(m.url);
  await peer.handshake({ ...key, masterKey: m.identity.publicKey });
  const ready = await peer.nextMessage();
  if (ready.type !== 'ready') throw new Error('no READY');
  return { m, peer, honest };
}

const apps = (m: MasterHarness): number | undefined => m.master.nodes().find((n) => n.name === 'w1')?.apps;

async function refusedWith(t: { is(a: unknown, b: unknown): void; deepEqual(a: unknown, b: unknown): void; true(v: boolean): void }, m: MasterHarness, peer: RawPeer, code: number, action: string, honest: nacl.SignKeyPair): Promise<void> {
  t.is(await peer.closed, code);
  await waitFor(() => m.refusals().length > 0);
  t.deepEqual(m.refusals().map((e) => e.action), [action]);
  t.true(await honestSessionWorks(m, honest));
}

test.serial('replayed frame: the same sealed snapshot twice ends the session (4403); the replay changes nothing', async (t) => {
  const { m, peer, honest } = await session(t);
  const frame = peer.seal(JSON.stringify(snapshot(1)));
  peer.ws.send(frame);
  await waitFor(() => apps(m) === 1);
  peer.ws.send(frame);
  await refusedWith(t, m, peer, 4403, 'frame:bad_frame', honest);
});

test.serial('reordered frames: frame 1 before frame 0 ends the session; neither is applied', async (t) => {
  const { m, peer, honest } = await session(t);
  const first = peer.seal(JSON.stringify(snapshot(1)));
  const second = peer.seal(JSON.stringify(snapshot(2)));
  peer.ws.send(second);
  peer.ws.send(first);
  await refusedWith(t, m, peer, 4403, 'frame:bad_frame', honest);
  t.is(apps(m), undefined);
});

test.serial('tampered frame: one flipped bit ends the session; nothing is applied', async (t) => {
  const { m, peer, honest } = await session(t);
  const frame = peer.seal(JSON.stringify(snapshot(3)));
  frame[20] = (frame[20] ?? 0) ^ 1;
  peer.ws.send(frame);
  await refusedWith(t, m, peer, 4403, 'frame:bad_frame', honest);
  t.is(apps(m), undefined);
});

test.serial('cross-session frame: a frame sealed for one session does not open in another', async (t) => {
  const { m, peer, honest } = await session(t);
  const other = new RawPeer(m.url);
  await other.handshake({ ...(await pinnedKey(m, 'w2')), masterKey: m.identity.publicKey });
  await other.nextMessage();
  peer.ws.send(other.seal(JSON.stringify(snapshot(4))));
  await refusedWith(t, m, peer, 4403, 'frame:bad_frame', honest);
  t.is(apps(m), undefined);
  other.ws.terminate();
});

test.serial('a frame shorter than a sealed box ends the session', async (t) => {
  const { m, peer, honest } = await session(t);
  peer.ws.send(new Uint8Array(16));
  await refusedWith(t, m, peer, 4403, 'frame:bad_frame', honest);
});

test.serial('text frame after the handshake ends the session (4400)', async (t) => {
  const { m, peer, honest } = await session(t);
  peer.ws.send(JSON.stringify(snapshot(1)));
  await refusedWith(t, m, peer, 4400, 'frame:text_frame', honest);
  t.is(apps(m), undefined);
});

test.serial('oversized frame after the handshake ends the session', async (t) => {
  const { m, peer, honest } = await session(t);
  peer.ws.send(new Uint8Array(64 * 1024 + 17));
  const code = await peer.closed;
  t.true(code === 1009 || code === 4413, String(code));
  await waitFor(() => m.refusals().length > 0);
  t.deepEqual(m.refusals().map((e) => e.action), ['frame:oversized_frame']);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('a sealed frame of exactly 64 KiB + 16 bytes is accepted', async (t) => {
  const { m, peer } = await session(t);
  const filler = 'x'.repeat(64 * 1024 - JSON.stringify({ v: 1, type: 'ping', seq: 1, pad: '' }).length);
  const frame = peer.seal(JSON.stringify({ v: 1, type: 'ping', seq: 1, pad: filler }));
  t.is(frame.length, 64 * 1024 + 16);
  peer.ws.send(frame);
  const pong = await peer.nextMessage();
  t.deepEqual(pong, { v: 1, type: 'pong', seq: 1 });
  t.deepEqual(m.refusals(), []);
});

test.serial('malformed message inside a valid frame: an error reply, one audit line, and the session goes on', async (t) => {
  const { m, peer, honest } = await session(t);
  peer.sendMessage({ v: 1, type: 'snapshot', instances: 'lots' });
  const reply = await peer.nextMessage();
  t.is(reply.type, 'error');
  t.regex(reply.type === 'error' ? reply.message : '', /snapshot: expected version and an array of instances/);
  t.is(apps(m), undefined);
  peer.sendMessage({ v: 1, type: 'ping', seq: 7 });
  t.deepEqual(await peer.nextMessage(), { v: 1, type: 'pong', seq: 7 });
  t.deepEqual(m.refusals().map((e) => e.action), ['message']);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('repeated malformed messages end the session', async (t) => {
  const { m, peer } = await session(t);
  for (let i = 0; i < 3; i++) peer.ws.send(peer.seal('not json'));
  t.is(await peer.closed, 4400);
  t.is(m.refusals().filter((e) => e.action === 'frame:malformed_messages').length, 1);
});

test.serial('a worker sending a command to the master: the session ends (4405), nothing is run', async (t) => {
  const { m, peer, honest } = await session(t);
  peer.sendMessage({ v: 1, type: 'request', text: JSON.stringify({ v: 1, id: 1, type: 'list' }) });
  await refusedWith(t, m, peer, 4405, 'frame:role_violation', honest);
  t.regex(m.refusals()[0]?.detail ?? '', /the worker sent a command/);
});

test.serial("a worker claiming another node's name or labels: the claim is refused and audited, the pins stand", async (t) => {
  const { m, peer, honest } = await session(t);
  peer.sendMessage({ ...snapshot(1), name: 'honest', labels: { gpu: 'yes' } });
  await waitFor(() => apps(m) === 1);
  const nodes = m.master.nodes();
  t.deepEqual(
    nodes.map((n) => [n.name, n.labels]),
    [['honest', {}], ['w1', {}]],
  );
  t.deepEqual(m.refusals().map((e) => e.action), ['claim']);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('more than 200 messages a second ends the session (4429)', async (t) => {
  const { m, peer } = await session(t);
  for (let i = 0; i < 260; i++) peer.sendMessage({ v: 1, type: 'ping', seq: i });
  t.is(await peer.closed, 4429);
  t.deepEqual(m.refusals().map((e) => e.action), ['frame:rate_limited']);
});

test.serial('a tampered command from the master: the worker runs nothing, ends the session and writes one audit line', async (t) => {
  const identity = nacl.sign.keyPair();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => SUBPROTOCOL });
  t.teardown(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await new Promise((resolve) => wss.once('listening', resolve));
  const policy = { ...identity, pin: () => 'active' as const, invite: () => undefined, allow: () => true, claimInvite: () => false };
  const closes: number[] = [];
  wss.on('connection', (ws) => {
    let state: ServerState = initialServerState;
    // Sent once the worker's first sealed frame (its snapshot) has arrived: the worker is then in session.
    let tampered: Uint8Array | undefined;
    ws.on('close', (code) => closes.push(code));
    ws.on('message', (data: Buffer) => {
      if (tampered) {
        ws.send(tampered);
        tampered = undefined;
        return;
      }
      const step = serverStep(state, new Uint8Array(data), policy, nodeCryptoOps, nacl.randomBytes);
      state = step.next;
      if (step.kind === 'send') return ws.send(step.bytes);
      if (step.kind !== 'established') return;
      const sealer = new FrameSealer(step.keys.serverToClient);
      const frame = (message: object): Uint8Array => sealer.seal(new Uint8Array(Buffer.from(JSON.stringify(message)))) ?? new Uint8Array();
      ws.send(frame({ v: 1, type: 'ready', sid: step.keys.sid, name: 'fake', pingEveryMs: 10_000, messagesPerSecond: 200 }));
      const command = frame({ v: 1, type: 'request', text: JSON.stringify({ v: 1, id: 1, type: 'restart', target: 'all' }) });
      command[30] = (command[30] ?? 0) ^ 1;
      tampered = command;
    });
  });
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const stateDir = tempDir('nu-fed-w-');
  const dir = path.join(stateDir, 'federation');
  const worker = loadOrCreateIdentity(stateDir);
  writeMasterPin(dir, { url: `ws://127.0.0.1:${port}`, key: identity.publicKey, pinned: new Date().toISOString() });
  let calls = 0;
  const link = new WorkerLink({ dir, identity: worker, limits: DEFAULT_LIMITS, source: { version: 't', list: async () => (calls++, []), serve: () => void calls++ } });
  link.start();
  t.teardown(() => link.stop());
  const audit = new AuditLog(dir);
  await waitFor(() => audit.read().length > 0, { what: 'the worker refusing the frame' });
  link.stop();
  t.deepEqual(audit.read().map((e) => e.action), ['frame:bad_frame']);
  t.is(calls, 1, 'only the snapshot the worker sends itself');
  await waitFor(() => closes.includes(4403), { what: 'the session closed with 4403' });
});
