import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { loadOrCreateIdentity } from '../../../plugins/federation/identity.js';
import { DEFAULT_LIMITS } from '../../../plugins/federation/limits.js';
import { PeerStore } from '../../../plugins/federation/store.js';
import type { WorkerLink } from '../../../plugins/federation/worker.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';
import { honestSessionWorks, pinnedKey, RawPeer, startMaster, startWorker } from './harness.js';

const FAST = { pingEveryMs: 100, staleAfterMs: 2000 };

test.serial('invite → join → the worker is online with an RTT, its name and labels from the pin, and answers a sealed call', async (t) => {
  const m = await startMaster(FAST);
  t.teardown(() => m.close());
  const w = await startWorker(m, 'nas', { limits: FAST });
  t.teardown(() => w.link.stop());
  const node = await waitFor(() => m.master.nodes().find((n) => n.name === 'nas' && n.rttMs !== undefined), { what: 'an RTT' });
  t.is(node.state, 'online');
  t.deepEqual(node.labels, { role: 'nas' });
  t.is(node.apps, 1);
  t.is(node.id, w.identity.fingerprint);
  t.true((node.rttMs ?? -1) >= 0);
  const listed = await m.master.remotes().find((remote) => remote.name === 'nas')?.client.list();
  t.deepEqual(listed?.map((instance) => instance.id), ['api:0']);
  t.true(w.listCalls.count >= 2);
  t.true(m.audit.read().some((e) => e.action === 'join' && e.result === 'ok' && e.target === 'nas'));
});

test.serial('the token never appears in any log or state file of either node', async (t) => {
  const m = await startMaster(FAST);
  t.teardown(() => m.close());
  const token = m.invite('nas');
  const stateDir = tempDir('nu-fed-w-');
  const { joinMaster } = await import('../../../plugins/federation/join.js');
  await joinMaster(token, loadOrCreateIdentity(stateDir), path.join(stateDir, 'federation'));
  const body = Buffer.from(token.slice(4), 'base64url');
  const seed = body.subarray(33, 65);
  const needles = [token, token.slice(4), seed.toString('hex'), seed.toString('base64'), seed.toString('base64url').slice(0, 40)];
  for (const dir of [m.stateDir, stateDir]) {
    const files = execFileSync('find', [dir, '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    t.true(files.length >= 2, dir);
    for (const file of files) {
      const text = fs.readFileSync(file).toString('latin1');
      for (const needle of needles) t.false(text.includes(needle), `${file} holds the token`);
      t.false(fs.readFileSync(file).includes(seed), `${file} holds the seed`);
    }
  }
});

test.serial('revoke closes the session within 1 s and every later attempt is refused', async (t) => {
  const m = await startMaster(FAST);
  t.teardown(() => m.close());
  const w = await startWorker(m, 'nas', { limits: FAST });
  t.teardown(() => w.link.stop());
  const other = new PeerStore(m.dir);
  const started = performance.now();
  t.truthy(other.revoke('nas', new Date()));
  await waitFor(() => m.master.nodes().every((n) => n.name !== 'nas'), { timeoutMs: 1000, what: 'nas gone' });
  await waitFor(() => w.link.state.state === 'backoff', { timeoutMs: 1000, what: 'the worker session closed' });
  t.true(performance.now() - started < 1000);
  t.false(await honestSessionWorks(m, { publicKey: w.identity.publicKey, secretKey: w.identity.secretKey }));
  t.true(m.audit.read().some((e) => e.action === 'revoke' && e.target === 'nas'));
  t.true(m.refusals().some((e) => e.action === 'handshake:revoked_key'));
});

test.serial('a master that restarts on the same port gets its worker back without a new join', async (t) => {
  const m = await startMaster(FAST);
  t.teardown(() => m.close());
  const w = await startWorker(m, 'nas', { limits: FAST });
  t.teardown(() => w.link.stop());
  await m.close();
  await waitFor(() => w.link.state.state === 'backoff', { what: 'the worker noticed' });
  const again = await startMaster(FAST, m.stateDir);
  t.not(again.port, 0);
  // The worker dials the port in master.json; re-listen there.
  await again.close();
  const { Master } = await import('../../../plugins/federation/master.js');
  const { AuditLog } = await import('../../../plugins/federation/audit.js');
  const master = new Master({ identity: m.identity, store: new PeerStore(m.dir), audit: new AuditLog(m.dir), limits: { ...DEFAULT_LIMITS, ...FAST }, name: 'hub' });
  await master.listen(m.port, '127.0.0.1');
  t.teardown(() => master.close());
  const started = performance.now();
  await waitFor(() => master.nodes().find((n) => n.name === 'nas' && n.state === 'online'), { timeoutMs: 5000, what: 'nas back' });
  t.true(performance.now() - started < 5000);
});

/** The delays of a link's next `count` retries: every retry sets a new backoff state (the first follows the session's end). */
async function retryDelays(link: WorkerLink, count: number): Promise<readonly number[]> {
  const delays: number[] = [];
  let seen: unknown;
  await waitFor(
    () => {
      const state = link.state;
      if (state.state === 'backoff' && state !== seen) delays.push(state.retryInMs);
      seen = state;
      return delays.length >= count;
    },
    { timeoutMs: 15_000, intervalMs: 5, what: `${count} retries` },
  );
  return delays;
}

test.serial('while a master restarts (its port refuses connections), a worker whose session just ended tries every second, not on the doubling backoff', async (t) => {
  const m = await startMaster(FAST);
  t.teardown(() => m.close());
  const w = await startWorker(m, 'nas', { limits: FAST });
  t.teardown(() => w.link.stop());
  await waitFor(() => m.master.nodes().find((n) => n.name === 'nas' && n.state === 'online'), { what: 'nas online' });
  await m.close();
  const delays = await retryDelays(w.link, 4);
  t.true(delays.every((ms) => ms <= 1200), `retry delays ${delays.join(', ')} ms`);
  t.true(/ECONNREFUSED/.test(w.link.state.state === 'backoff' ? w.link.state.reason : 'ECONNREFUSED'));
});

test.serial('a master at its signature limit (HELLO refused with 4429) right after a session ended is tried every second too', async (t) => {
  // Two signatures: the join's and the first session's; then none for a long while.
  const m = await startMaster({ ...FAST, signatures: { burst: 2, perSecond: 0.001 } });
  t.teardown(() => m.close());
  const w = await startWorker(m, 'nas', { limits: FAST });
  t.teardown(() => w.link.stop());
  m.master.sessionOf(w.identity.publicKey)?.end('closed', 'a test ends it', 1001);
  const delays = await retryDelays(w.link, 4);
  t.true(delays.every((ms) => ms <= 1200), `retry delays ${delays.join(', ')} ms`);
  t.true(m.refusals().some((e) => e.action === 'handshake:rate_limited'));
});

test.serial('a newer session of the same key replaces the older one (4409), and it is audited', async (t) => {
  const m = await startMaster(FAST);
  t.teardown(() => m.close());
  const key = await pinnedKey(m, 'nas');
  const first = new RawPeer(m.url);
  await first.handshake({ ...key, masterKey: m.identity.publicKey });
  t.is((await first.nextMessage()).type, 'ready');
  t.true(await honestSessionWorks(m, key));
  t.is(await first.closed, 4409);
  t.true(m.audit.read().some((e) => e.action === 'session' && e.result === 'warning'));
});

test.serial('a node key readable by others is refused with a clear error; a corrupt peers.json names its path', (t) => {
  const stateDir = tempDir('nu-fed-id-');
  const identity = loadOrCreateIdentity(stateDir);
  const file = path.join(stateDir, 'federation', 'node.key');
  t.is(fs.statSync(file).mode & 0o777, 0o600);
  t.deepEqual(loadOrCreateIdentity(stateDir).publicKey, identity.publicKey);
  fs.chmodSync(file, 0o644);
  t.throws(() => loadOrCreateIdentity(stateDir), { message: /node\.key: is readable by group or others \(mode 0644\); run: chmod 600/ });
  fs.writeFileSync(path.join(stateDir, 'federation', 'peers.json'), '{"v":1,"peers":[{"key":"x"}]}');
  t.throws(() => new PeerStore(path.join(stateDir, 'federation')), { message: /peers\.json: peers\[0\]\.key: missing or malformed; federation will not run/ });
  fs.writeFileSync(path.join(stateDir, 'federation', 'peers.json'), '{"v":1,');
  t.throws(() => new PeerStore(path.join(stateDir, 'federation')), { message: /peers\.json: is not valid JSON/ });
});

test.serial('a worker that stops answering sealed PINGs is stale, then offline when its socket closes', async (t) => {
  const m = await startMaster({ pingEveryMs: 100, staleAfterMs: 400 });
  t.teardown(() => m.close());
  const key = await pinnedKey(m, 'mute');
  const peer = new RawPeer(m.url);
  await peer.handshake({ ...key, masterKey: m.identity.publicKey });
  t.is((await peer.nextMessage()).type, 'ready');
  t.not(m.master.nodes()[0]?.state, 'offline');
  await waitFor(() => m.master.nodes()[0]?.state === 'stale', { timeoutMs: 3000, what: 'stale' });
  peer.ws.terminate();
  await waitFor(() => m.master.nodes()[0]?.state === 'offline', { timeoutMs: 2000, what: 'offline' });
  t.pass();
});

test.serial('the master closes a session older than its limit (25 h by default)', async (t) => {
  t.is(DEFAULT_LIMITS.masterMaxSessionMs, 25 * 3600_000);
  const m = await startMaster({ masterMaxSessionMs: 300, pingEveryMs: 100 });
  t.teardown(() => m.close());
  const key = await pinnedKey(m, 'old');
  const peer = new RawPeer(m.url);
  await peer.handshake({ ...key, masterKey: m.identity.publicKey });
  t.is(await peer.closed, 4408);
});

test.serial('a worker renews its session after its rotation time (24 h by default) with fresh keys', async (t) => {
  t.is(DEFAULT_LIMITS.workerRotateMs, 24 * 3600_000);
  const m = await startMaster(FAST);
  t.teardown(() => m.close());
  const w = await startWorker(m, 'nas', { limits: { ...FAST, workerRotateMs: 400 } });
  t.teardown(() => w.link.stop());
  const sids = (): string[] => [...new Set(m.audit.read().filter((e) => e.action === 'session' && e.result === 'ok' && e.target === 'nas').map((e) => e.sid ?? ''))];
  await waitFor(() => sids().length >= 3, { timeoutMs: 8000, what: 'two renewals' });
  t.is(new Set(sids()).size, sids().length);
  await waitFor(() => w.listCalls.count >= 3, { what: 'each renewed session starting with a snapshot' });
});
