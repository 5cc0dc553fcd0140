import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import nacl from 'tweetnacl';
import { WebSocketServer } from 'ws';
import { AuditLog } from '../../../plugins/federation/audit.js';
import { nodeCryptoOps } from '../../../plugins/federation/crypto.js';
import { initialServerState, serverStep } from '../../../plugins/federation/handshake-server.js';
import { SUBPROTOCOL } from '../../../plugins/federation/handshake-wire.js';
import { loadOrCreateIdentity } from '../../../plugins/federation/identity.js';
import { parseInvite } from '../../../plugins/federation/invite.js';
import { joinMaster } from '../../../plugins/federation/join.js';
import { DEFAULT_LIMITS } from '../../../plugins/federation/limits.js';
import { WorkerLink, masterFile } from '../../../plugins/federation/worker.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';
import { honestSessionWorks, pinnedKey, RawPeer, startMaster, type MasterHarness } from './harness.js';

/** Each attack: refused, nothing run, exactly one audit line, and the master still serves an honest worker. */

const sessions = (m: MasterHarness): number => m.audit.read().filter((e) => e.action === 'session' && e.result === 'ok').length;

async function setup(t: { teardown(fn: () => unknown): void }): Promise<{ m: MasterHarness; honest: nacl.SignKeyPair; victim: nacl.SignKeyPair; before: number }> {
  const m = await startMaster();
  t.teardown(() => m.close());
  const honest = await pinnedKey(m, 'honest');
  const victim = await pinnedKey(m, 'victim');
  return { m, honest, victim, before: sessions(m) };
}

test.serial('forged client signature: a HELLO with a pinned key, a PROOF signed by another key', async (t) => {
  const { m, honest, victim, before } = await setup(t);
  const attacker = new RawPeer(m.url);
  await attacker.handshake({ publicKey: victim.publicKey, secretKey: nacl.sign.keyPair().secretKey, masterKey: m.identity.publicKey });
  t.is(await attacker.closed, 4403);
  t.deepEqual(m.refusals().map((e) => e.action), ['handshake:bad_signature']);
  t.is(sessions(m), before);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('unknown key: refused at HELLO with zero signatures, verifications or DH, however many come', async (t) => {
  const { m, honest, before } = await setup(t);
  const counts = { ...m.counts };
  for (let i = 0; i < 8; i++) {
    const attacker = new RawPeer(m.url);
    t.false(await attacker.handshake({ ...nacl.sign.keyPair(), masterKey: m.identity.publicKey }));
    t.is(await attacker.closed, 4401);
  }
  t.deepEqual({ ...m.counts }, counts);
  t.deepEqual(m.refusals().map((e) => e.action), ['handshake:unknown_key']);
  t.is(sessions(m), before);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('small-order public key in a join: refused at HELLO, the invite stays open', async (t) => {
  const { m, honest, before } = await setup(t);
  const token = m.invite('tiny');
  const parsed = parseInvite(token);
  if (!parsed.ok) return t.fail();
  const invite = nacl.sign.keyPair.fromSeed(parsed.invite.seed);
  const attacker = new RawPeer(m.url);
  const smallOrder = new Uint8Array(Buffer.from('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'hex'));
  t.false(await attacker.handshake({ publicKey: smallOrder, secretKey: nacl.sign.keyPair().secretKey, masterKey: m.identity.publicKey, invite }));
  t.is(await attacker.closed, 4401);
  t.deepEqual(m.refusals().map((e) => e.action), ['handshake:small_order_key']);
  t.is(m.store.invite(nacl.sign.keyPair.fromSeed(parseInviteSeed(token)).publicKey, Date.now() / 1000, nacl.sign.keyPair().publicKey), 'open');
  t.is(sessions(m), before);
  t.true(await honestSessionWorks(m, honest));
});

function parseInviteSeed(token: string): Uint8Array {
  const parsed = parseInvite(token);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.invite.seed;
}

test.serial('all-zero DH share: a pinned worker whose ephemeral key is a small-order point', async (t) => {
  const { m, honest, victim, before } = await setup(t);
  const attacker = new RawPeer(m.url);
  await attacker.handshake({ ...victim, masterKey: m.identity.publicKey }, { m1: (m1) => Uint8Array.from(m1, (b, i) => (i >= 36 && i < 68 ? 0 : b)) });
  t.is(await attacker.closed, 4403);
  t.deepEqual(m.refusals().map((e) => e.action), ['handshake:zero_dh']);
  t.is(sessions(m), before);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('replayed handshake: a recorded HELLO and PROOF are useless against a fresh WELCOME', async (t) => {
  const { m, honest, victim } = await setup(t);
  const recorded = new RawPeer(m.url);
  await recorded.handshake({ ...victim, masterKey: m.identity.publicKey });
  t.is((await recorded.nextMessage()).type, 'ready');
  recorded.ws.close();
  const before = sessions(m);
  const replay = new RawPeer(m.url);
  await replay.open();
  replay.ws.send(recorded.m1 ?? new Uint8Array());
  await replay.next();
  replay.ws.send(recorded.m3 ?? new Uint8Array());
  t.is(await replay.closed, 4403);
  t.deepEqual(m.refusals().map((e) => e.action), ['handshake:bad_signature']);
  t.is(sessions(m), before);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('expired invite: refused at HELLO, nothing pinned', async (t) => {
  const { m, honest, before } = await setup(t);
  const token = m.invite('late', { ttlSeconds: -1 });
  const stateDir = tempDir('nu-fed-w-');
  await t.throwsAsync(joinMaster(token, loadOrCreateIdentity(stateDir), path.join(stateDir, 'federation')), { message: /4401/ });
  t.deepEqual(m.refusals().map((e) => e.action), ['handshake:invite_expired']);
  t.false(m.store.peers.some((p) => p.name === 'late'));
  t.false(fs.existsSync(masterFile(path.join(stateDir, 'federation'))));
  t.is(sessions(m), before);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('reused invite: the second key is refused and the first pin stands', async (t) => {
  const { m, honest, before } = await setup(t);
  const token = m.invite('nas');
  const first = tempDir('nu-fed-w-');
  await joinMaster(token, loadOrCreateIdentity(first), path.join(first, 'federation'));
  const second = tempDir('nu-fed-w-');
  await t.throwsAsync(joinMaster(token, loadOrCreateIdentity(second), path.join(second, 'federation')), { message: /4401/ });
  t.deepEqual(m.refusals().map((e) => e.action), ['handshake:invite_used']);
  t.deepEqual(m.store.peers.filter((p) => p.name === 'nas').map((p) => p.key), [loadOrCreateIdentity(first).publicKey]);
  t.is(sessions(m), before + 1);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('an invite made for one worker key (invite --key): another key is refused at HELLO with no crypto, the right key then joins', async (t) => {
  const { m, honest, before } = await setup(t);
  const rightDir = tempDir('nu-fed-w-');
  const right = loadOrCreateIdentity(rightDir);
  const token = m.invite('nas', { forKey: right.fingerprint });
  const otherDir = tempDir('nu-fed-w-');
  const counts = { ...m.counts };
  await t.throwsAsync(joinMaster(token, loadOrCreateIdentity(otherDir), path.join(otherDir, 'federation')), { message: /4401/ });
  t.deepEqual({ ...m.counts }, counts, 'no signature, verification or DH for the wrong key');
  t.deepEqual(m.refusals().map((e) => e.action), ['handshake:invite_other_key']);
  t.is(sessions(m), before);
  await joinMaster(token, right, path.join(rightDir, 'federation'));
  t.deepEqual(m.store.peers.filter((p) => p.name === 'nas').map((p) => p.key), [right.publicKey]);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('changed key under a known name: an invite cannot reuse a joined name, a new key is just unknown', async (t) => {
  const { m, honest, before } = await setup(t);
  t.throws(() => m.invite('victim'), { message: /a node named "victim" is already joined/ });
  const impostor = new RawPeer(m.url);
  t.false(await impostor.handshake({ ...nacl.sign.keyPair(), masterKey: m.identity.publicKey }));
  t.is(await impostor.closed, 4401);
  t.deepEqual(m.refusals().map((e) => e.action), ['handshake:unknown_key']);
  t.is(sessions(m), before);
  t.true(await honestSessionWorks(m, honest));
});

/** A master that answers with a WELCOME signed by `identity` and then altered by `tamper`. */
async function fakeMaster(t: { teardown(fn: () => unknown): void }, identity: nacl.SignKeyPair, tamper: (m2: Uint8Array) => Uint8Array): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => SUBPROTOCOL });
  t.teardown(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await new Promise((resolve) => wss.once('listening', resolve));
  const policy = { ...identity, pin: () => 'active' as const, invite: () => 'open' as const, allow: () => true, claimInvite: () => true };
  wss.on('connection', (ws) =>
    ws.once('message', (data: Buffer) => {
      const step = serverStep(initialServerState, new Uint8Array(data), policy, nodeCryptoOps, (n) => nacl.randomBytes(n));
      if (step.kind === 'send') ws.send(tamper(step.bytes));
    }),
  );
  const address = wss.address();
  return typeof address === 'object' && address ? address.port : 0;
}

async function workerAgainst(t: { teardown(fn: () => unknown): void }, m: MasterHarness, port: number): Promise<{ audit: AuditLog; listCalls: () => number }> {
  const stateDir = tempDir('nu-fed-w-');
  const dir = path.join(stateDir, 'federation');
  const identity = loadOrCreateIdentity(stateDir);
  await joinMaster(m.invite(`w${port}`), identity, dir);
  const pin = JSON.parse(fs.readFileSync(masterFile(dir), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(masterFile(dir), JSON.stringify({ ...pin, url: `ws://127.0.0.1:${port}` }));
  let calls = 0;
  const link = new WorkerLink({ dir, identity, limits: DEFAULT_LIMITS, source: { version: 't', list: async () => (calls++, []), serve: () => void calls++ } });
  link.start();
  t.teardown(() => link.stop());
  const audit = new AuditLog(dir);
  await waitFor(() => audit.read().length > 0, { what: 'a worker audit line' });
  link.stop();
  return { audit, listCalls: () => calls };
}

test.serial('forged server signature: the worker refuses the WELCOME, runs nothing, writes one audit line', async (t) => {
  const { m, honest } = await setup(t);
  const port = await fakeMaster(t, m.identity, (m2) => Uint8Array.from(m2, (b, i) => (i === 120 ? b ^ 0x40 : b)));
  const worker = await workerAgainst(t, m, port);
  t.deepEqual(worker.audit.read().map((e) => e.action), ['handshake:bad_signature']);
  t.is(worker.listCalls(), 0);
  t.true(await honestSessionWorks(m, honest));
});

test.serial('a changed master key is refused and reported as "master key changed"; the worker only backs off', async (t) => {
  const { m, honest } = await setup(t);
  const port = await fakeMaster(t, nacl.sign.keyPair(), (m2) => m2);
  const worker = await workerAgainst(t, m, port);
  const lines = worker.audit.read();
  t.deepEqual(lines.map((e) => e.action), ['handshake']);
  t.regex(lines[0]?.detail ?? '', /master key changed.*join --replace-master/);
  t.is(worker.listCalls(), 0);
  t.true(await honestSessionWorks(m, honest));
});
