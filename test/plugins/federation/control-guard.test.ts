import fs from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { ActionChain, ACTIONS_FILE } from '../../../plugins/federation/audit-chain.js';
import { readChain } from '../../../plugins/federation/audit-verify.js';
import { GuardedPort, type StoredReply } from '../../../plugins/federation/control-guard.js';
import { CommandWindow } from '../../../plugins/federation/dedupe.js';
import { FederationFileError } from '../../../plugins/federation/files.js';
import { DEFAULT_TRUST, resolveTrust, type TrustPolicy } from '../../../plugins/federation/policy.js';
import { decodeRemoteCommand } from '../../../plugins/federation/remote-command.js';
import { connectControlPort, ControlError, serveControlPort, type ControlClient, type MessagePort } from '../../../src/index.js';
import { scriptsConfigSource } from '../../../src/cli/config-source.js';
import { memoryPortPair } from '../../../src/control/memory-port.js';
import { appSpec } from '../../helpers/app.js';
import { harness, type Harness } from '../../helpers/supervisor.js';
import { FIXTURES, tempDir } from '../../helpers/tmp.js';

/**
 * The worker's gate on a real Supervisor, over an in-memory port: policy, replayed command ids and the
 * chained audit; what passes is served by the same Connection as a local client.
 */

const ISSUER = 'MASTERK-EYFINGE';

interface Worker {
  readonly h: Harness;
  readonly client: ControlClient;
  readonly dir: string;
  readonly chain: ActionChain;
  /** The command id the next requests carry, as the master's envelope would give it. */
  command: string | undefined;
}

/** Delegates to `inner`, calling `onSend` with each message just before it is handed on. */
function watchedPort(inner: MessagePort, onSend: (message: object) => void): MessagePort {
  return {
    attach: (handler) => inner.attach(handler),
    send: (message) => (onSend(message), inner.send(message)),
    bufferedBytes: () => inner.bufferedBytes(),
    pause: () => inner.pause(),
    resume: () => inner.resume(),
    end: () => inner.end(),
    destroy: (reason) => inner.destroy(reason),
    get writable() {
      return inner.writable;
    },
    get closed() {
      return inner.closed;
    },
  };
}

async function worker(t: ExecutionContext, policy: TrustPolicy = DEFAULT_TRUST, auditErrors?: unknown[], onSend?: (message: object) => void): Promise<Worker> {
  const dir = tempDir('nu-guard-');
  // Apps can be added at run time, as under `node-unit up`.
  const h = await harness(t, [appSpec({ name: 'api' })], { configSource: scriptsConfigSource({ stateDir: path.join(dir, 'state') }) });
  await h.waitStatus('api:0', 'online');
  const [masterSide, workerSide] = memoryPortPair();
  const onAuditError = (error: unknown): void => {
    if (auditErrors) auditErrors.push(error);
    else t.fail(`audit append failed: ${String(error)}`);
  };
  const chain = new ActionChain(dir);
  const made: Worker = { h, dir, chain, client: connectControlPort(masterSide, { heartbeat: false }), command: undefined };
  const guarded = new GuardedPort(onSend ? watchedPort(workerSide, onSend) : workerSide, { node: 'nas', policy, chain, window: new CommandWindow<StoredReply>(), sid: 'sid-1', issuer: ISSUER, commandOf: () => made.command, onAuditError, baseDir: dir });
  serveControlPort(guarded, h.supervisor, { pid: process.pid, project: 'nas', version: 'test' });
  t.teardown(() => made.client.close());
  return made;
}

const pidOf = (h: Harness): number | undefined => {
  const state = h.info('api:0')?.state;
  return state?.status === 'online' ? state.pid : undefined;
};

test('a remote restart runs on the worker Controller; a replayed command id returns the recorded result and restarts nothing', async (t) => {
  const w = await worker(t);
  const before = pidOf(w.h);
  w.command = 'c-1';
  const first = await w.client.restart('api');
  t.like(first, { ok: true, instances: ['api:0'] });
  const after = await w.h.waitStatus('api:0', 'online');
  const restartedPid = after.state.status === 'online' ? after.state.pid : undefined;
  t.not(restartedPid, before);

  const replay = await w.client.restart('api');
  t.deepEqual(replay, first);
  t.is(pidOf(w.h), restartedPid, 'the replay did not restart the app');
  t.is(w.h.statuses('api:0').filter((s) => s === 'stopping').length, 1, 'one restart only');

  w.command = undefined;
  t.like(await w.client.restart('api'), { ok: true }, 'without a command id each request is its own command');
  t.is(w.h.statuses('api:0').filter((s) => s === 'stopping').length, 2);

  await w.chain.flush();
  const { entries, verdict } = readChain(w.dir);
  t.true(verdict.ok);
  t.like(entries[0], { node: 'nas', verb: 'restart', target: 'api', result: 'ok', issuer: ISSUER, sid: 'sid-1' });
  t.like(entries[1], { verb: 'restart', result: 'replayed', detail: 'command c-1 seen before; not run again' });
  t.like(entries[2], { verb: 'restart', result: 'ok' });
});

test('the reply leaves before its audit entry is written; the entry is chained and on disk right after', async (t) => {
  const atReply: { readonly queued: number; readonly lines: number }[] = [];
  const lines = (dir: string): number => (fs.existsSync(path.join(dir, ACTIONS_FILE)) ? readChain(dir).entries.length : 0);
  const w: Worker = await worker(t, DEFAULT_TRUST, undefined, (message) => {
    if ('type' in message && message.type === 'reply') atReply.push({ queued: w.chain.queued, lines: lines(w.dir) });
  });
  w.command = 'c-1';
  t.like(await w.client.restart('api'), { ok: true });
  w.command = 'c-2';
  t.like(await w.client.flush('api'), { ok: true });
  // When each command's reply left, its own entry was still queued (the one before may have been written).
  const [restart, flush] = atReply.slice(-2);
  t.true((restart?.queued ?? 0) >= 1 && (flush?.queued ?? 0) >= 1, JSON.stringify(atReply));
  t.deepEqual([restart && restart.lines + restart.queued, flush && flush.lines + flush.queued], [1, 2]);
  await w.chain.flush();
  t.is(w.chain.queued, 0);
  t.is(w.chain.durable, 2, 'both entries are flushed to disk');
  const { entries, verdict } = readChain(w.dir);
  t.true(verdict.ok);
  t.deepEqual(entries.map((e) => [e.seq, e.verb, e.result]), [[1, 'restart', 'ok'], [2, 'flush', 'ok']]);
});

test('a verb the worker policy denies is refused with the node and the rule, and nothing runs', async (t) => {
  const trust = resolveTrust({ verbs: ['ls', 'logs'] });
  if (!trust.ok) throw new Error('bad policy');
  const w = await worker(t, trust.policy);
  const before = pidOf(w.h);
  const refused = await t.throwsAsync(w.client.stop('api'), { instanceOf: ControlError });
  t.is(refused?.code, 'refused');
  t.regex(refused?.message ?? '', /node "nas" refused stop api: allowed verbs are ls, logs \(rule trust\.verbs\)/);
  t.is(pidOf(w.h), before);
  t.false(w.h.statuses('api:0').includes('stopping'));
  t.is((await w.client.list()).length, 1, 'ls is allowed');
  await w.chain.flush();
  t.like(readChain(w.dir).entries, [{ verb: 'stop', target: 'api', result: 'refused', detail: refused?.message }]);
});

test('requests no master may make, a config reload and unknown targets are answered and never thrown', async (t) => {
  const w = await worker(t);
  const shutdown = await t.throwsAsync(w.client.shutdown('from afar').then(() => w.client.deleteApp('api')), { instanceOf: ControlError });
  t.regex(shutdown?.message ?? '', /refused delete: the master may use only ls, .* \(rule remote\.verbs\)/);
  t.is(w.h.info('api:0')?.state.status, 'online', 'the supervisor still runs its app');
  const reload = await t.throwsAsync(w.client.reload(undefined, { planOnly: false }), { instanceOf: ControlError });
  t.regex(reload?.message ?? '', /rule reload\.target/);
  // A plan changes nothing, so it passes the gate (this supervisor has no config file to compare with).
  await t.notThrowsAsync(w.client.reload(undefined, { planOnly: true }));
  t.like(await w.client.restart('ghost'), { ok: false, code: 'unknown_target' });
  await w.chain.flush();
  const { entries, verdict } = readChain(w.dir);
  t.true(verdict.ok);
  t.deepEqual(entries.map((e) => [e.verb, e.result]), [['shutdown', 'refused'], ['delete', 'refused'], ['reload', 'refused'], ['restart', 'failed']]);
});

test('decodeRemoteCommand names what is wrong', (t) => {
  t.deepEqual(decodeRemoteCommand({ verb: 'logs' }), { verb: 'logs', target: undefined, lines: 100 });
  t.deepEqual(decodeRemoteCommand({ verb: 'signal', target: 'api', signal: 'SIGUSR2' }), { verb: 'signal', target: 'api', signal: 'SIGUSR2' });
  t.regex(decodeRemoteCommand({ verb: 'logs', lines: 1e9 }) as string, /lines: expected an integer/);
  t.regex(decodeRemoteCommand({ verb: 'stop', target: 'a b' }) as string, /stop: target: expected/);
  t.regex(decodeRemoteCommand([]) as string, /expected a command object/);
});

test('an audit log that cannot be trusted is reported with its path; the command still answers', async (t) => {
  const errors: unknown[] = [];
  const w = await worker(t, DEFAULT_TRUST, errors);
  await w.client.flush('api');
  await w.client.flush('api');
  await w.chain.flush();
  fs.writeFileSync(path.join(w.dir, ACTIONS_FILE), '');
  t.like(await w.client.flush('api'), { ok: true });
  await w.chain.flush();
  t.is(errors.length, 1);
  t.true(errors[0] instanceof FederationFileError && errors[0].file === path.join(w.dir, ACTIONS_FILE));
});

test('the guard keeps what its session port says of slow readers, so a slow follow never ends the session', (t) => {
  const params = { node: 'nas', policy: DEFAULT_TRUST, chain: new ActionChain(tempDir('nu-guard-')), window: new CommandWindow<StoredReply>(), sid: 'sid-1', issuer: ISSUER, commandOf: () => undefined, onAuditError: () => undefined, baseDir: '/' };
  const [, plain] = memoryPortPair();
  t.false(new GuardedPort(plain, params).keepsSlowReaders);
  const keeping: MessagePort = Object.assign(Object.create(plain) as MessagePort, { keepsSlowReaders: true });
  t.true(new GuardedPort(keeping, params).keepsSlowReaders);
});

test('an app spec from the master: refused with the node and the rule unless trusted; a trusted one starts from its resolved paths', async (t) => {
  const forever = path.join(FIXTURES, 'procs', 'forever.js');
  const untrusting = await worker(t);
  const refused = await t.throwsAsync(untrusting.client.addApp({ name: 'extra', script: forever }, '/'), { instanceOf: ControlError });
  t.is(refused?.code, 'refused');
  t.regex(refused?.message ?? '', /^node "nas" refused to run an app spec sent by the master: .*\(rule trust\.specs\)$/);
  t.is(untrusting.h.info('extra:0'), undefined, 'nothing was started');
  await untrusting.chain.flush();
  t.like(readChain(untrusting.dir).entries, [{ verb: 'add', target: 'extra', result: 'refused' }]);

  const folder = fs.realpathSync(tempDir('nu-guard-apps-'));
  fs.copyFileSync(forever, path.join(folder, 'server.js'));
  const trust = resolveTrust({ specs: { commands: [`${folder}/*.js`], cwds: [folder] } });
  if (!trust.ok) return t.fail(trust.problems.join('; '));
  const trusting = await worker(t, trust.policy);
  const outside = await t.throwsAsync(trusting.client.addApp({ name: 'other', script: forever, cwd: folder }, '/'), { instanceOf: ControlError });
  t.regex(outside?.message ?? '', /refused app "other": .*forever\.js matches no trusted command \(rule trust\.specs\.commands\)/);
  t.like(await trusting.client.addApp({ name: 'extra', script: 'server.js', cwd: folder }, '/'), { ok: true });
  const online = await trusting.h.waitStatus('extra:0', 'online');
  t.is(online.state.status, 'online');
  await trusting.chain.flush();
  t.like(readChain(trusting.dir).entries, [{ verb: 'add', target: 'other', result: 'refused' }, { verb: 'add', target: 'extra', result: 'ok' }]);
});

test('the master decodes an app spec command for the worker to check: an object, or what is wrong', (t) => {
  t.deepEqual(decodeRemoteCommand({ verb: 'add', app: { name: 'extra', script: 'server.js' } }), { verb: 'add', app: { name: 'extra', script: 'server.js' } });
  t.regex(decodeRemoteCommand({ verb: 'add', app: ['server.js'] }) as string, /^add: app: expected an app spec object/);
  t.regex(decodeRemoteCommand({ verb: 'shutdown' }) as string, /^verb: expected one of ls, .* or add, got "shutdown"/);
});
