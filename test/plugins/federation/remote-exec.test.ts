import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ActionChain, ACTIONS_FILE } from '../../../plugins/federation/audit-chain.js';
import { FederationFileError } from '../../../plugins/federation/files.js';
import { readChain } from '../../../plugins/federation/audit-verify.js';
import { DEFAULT_TRUST, resolveTrust, type TrustPolicy } from '../../../plugins/federation/policy.js';
import { decodeRemoteCommand } from '../../../plugins/federation/remote-command.js';
import { RemoteExecutor } from '../../../plugins/federation/remote-exec.js';
import { appSpec } from '../../helpers/app.js';
import { harness, type Harness } from '../../helpers/supervisor.js';
import { tempDir } from '../../helpers/tmp.js';

/** Remote commands on a worker's real Supervisor: policy, replayed ids and the chained audit, without sockets. */

const ISSUER = 'MASTERK-EYFINGE';

/** A worker executor; an audit error fails the test unless the test collects them. */
async function worker(t: ExecutionContext, policy: TrustPolicy = DEFAULT_TRUST, auditErrors?: unknown[]): Promise<{ h: Harness; exec: RemoteExecutor; dir: string }> {
  const h = await harness(t, [appSpec({ name: 'api' })]);
  await h.waitStatus('api:0', 'online');
  const dir = tempDir('nu-exec-');
  const onAuditError = (error: unknown): void => {
    if (auditErrors) auditErrors.push(error);
    else t.fail(`audit append failed: ${String(error)}`);
  };
  const exec = new RemoteExecutor({ node: 'nas', policy, controller: h.supervisor, chain: new ActionChain(dir), onAuditError });
  return { h, dir, exec };
}

const pidOf = (h: Harness): number | undefined => {
  const state = h.info('api:0')?.state;
  return state?.status === 'online' ? state.pid : undefined;
};

test('a remote restart runs on the worker Controller; a replayed id returns the recorded result and restarts nothing', async (t) => {
  const { h, exec, dir } = await worker(t);
  const before = pidOf(h);
  const first = await exec.run({ id: 1, sid: 'sid-1', issuer: ISSUER, command: { verb: 'restart', target: 'api' } });
  t.like(first, { ok: true, value: { ok: true, instances: ['api:0'] } });
  const after = await h.waitStatus('api:0', 'online');
  const restartedPid = after.state.status === 'online' ? after.state.pid : undefined;
  t.not(restartedPid, before);

  const replay = await exec.run({ id: 1, sid: 'sid-2', issuer: ISSUER, command: { verb: 'restart', target: 'api' } });
  t.deepEqual(replay, first);
  t.is(pidOf(h), restartedPid, 'the replay did not restart the app');
  t.is(h.statuses('api:0').filter((s) => s === 'stopping').length, 1, 'one restart only');

  const { entries, verdict } = readChain(dir);
  t.true(verdict.ok);
  t.like(entries[0], { node: 'nas', verb: 'restart', target: 'api', result: 'ok', issuer: ISSUER, sid: 'sid-1' });
  t.like(entries[1], { verb: 'restart', result: 'replayed', sid: 'sid-2' });
});

test('a verb the worker policy denies is refused with the node and the rule, and nothing runs', async (t) => {
  const trust = resolveTrust({ verbs: ['ls', 'logs'] });
  if (!trust.ok) throw new Error('bad policy');
  const { h, exec, dir } = await worker(t, trust.policy);
  const before = pidOf(h);
  const refused = await exec.run({ id: 'c-1', sid: 's', issuer: ISSUER, command: { verb: 'stop', target: 'api' } });
  t.like(refused, { ok: false, code: 'refused_by_policy', node: 'nas', rule: 'trust.verbs' });
  t.is(pidOf(h), before);
  t.false(h.statuses('api:0').includes('stopping'));
  const listed = await exec.run({ id: 'c-2', sid: 's', issuer: ISSUER, command: { verb: 'ls' } });
  t.true(listed.ok && Array.isArray(listed.value) && listed.value.length === 1);
  t.like(readChain(dir).entries, [{ verb: 'stop', result: 'refused', detail: refused.ok ? '' : refused.message }, { verb: 'ls', target: 'all', result: 'ok' }]);
});

test('bad commands and unknown targets are answered, audited, and never thrown', async (t) => {
  const { exec, dir } = await worker(t);
  t.like(await exec.run({ id: 1, sid: 's', issuer: ISSUER, command: { verb: 'shutdown' } }), { ok: false, code: 'bad_request', node: 'nas' });
  t.like(await exec.run({ id: 2, sid: 's', issuer: ISSUER, command: { verb: 'signal', target: 'api', signal: 'SIGNOPE' } }), { ok: false, code: 'bad_request' });
  t.like(await exec.run({ id: 3, sid: 's', issuer: ISSUER, command: { verb: 'restart', target: 'ghost' } }), { ok: false, code: 'failed', node: 'nas' });
  t.like(await exec.run({ id: -1, sid: 's', issuer: ISSUER, command: { verb: 'ls' } }), { ok: false, code: 'bad_request' });
  t.like(await exec.run({ id: 4, sid: 's', issuer: ISSUER, command: { verb: 'reload' } }), { ok: false, code: 'refused_by_policy', rule: 'reload.target' });
  const { entries, verdict } = readChain(dir);
  t.true(verdict.ok);
  t.deepEqual(entries.map((e) => [e.verb, e.result]), [['invalid', 'failed'], ['invalid', 'failed'], ['restart', 'failed'], ['ls', 'refused'], ['reload', 'refused']]);
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
  const { exec, dir } = await worker(t, DEFAULT_TRUST, errors);
  await exec.run({ id: 1, sid: 's', issuer: ISSUER, command: { verb: 'ls' } });
  await exec.run({ id: 2, sid: 's', issuer: ISSUER, command: { verb: 'ls' } });
  fs.writeFileSync(path.join(dir, ACTIONS_FILE), '');
  t.like(await exec.run({ id: 3, sid: 's', issuer: ISSUER, command: { verb: 'ls' } }), { ok: true });
  t.is(errors.length, 1);
  t.true(errors[0] instanceof FederationFileError && errors[0].file === path.join(dir, ACTIONS_FILE));
});
