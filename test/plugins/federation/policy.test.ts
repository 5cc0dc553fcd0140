import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { federation } from '../../../plugins/federation/index.js';
import { resolveOptions } from '../../../plugins/federation/options.js';
import { fileSystemResolver } from '../../../plugins/federation/patterns.js';
import { authorizeVerb, DEFAULT_TRUST, resolveTrust, type TrustPolicy } from '../../../plugins/federation/policy.js';
import { authorizeSpec, type SpecContext } from '../../../plugins/federation/remote-spec.js';
import { tempDir, writeFiles } from '../../helpers/tmp.js';

/** Worker policy: verbs, the off-by-default remote specs, anchored patterns on real paths, and bypass attempts. */

function policyOf(trust: unknown): TrustPolicy {
  const resolved = resolveTrust(trust);
  if (!resolved.ok) throw new Error(resolved.problems.join('\n'));
  return resolved.policy;
}

interface Tree {
  readonly root: string;
  readonly apps: string;
  readonly outside: string;
  readonly ctx: SpecContext;
}

/** A real folder: apps/ (trusted) with a script, a symlink out of it, and outside/ with an evil script. */
function tree(): Tree {
  const root = fs.realpathSync(tempDir('nu-policy-'));
  writeFiles(root, { 'apps/web/server.js': '', 'apps/web/lib/x.js': '', 'apps/trusted-evil/server.js': '', 'outside/evil.js': '', 'bin/tool': '#!/bin/sh\n' });
  fs.chmodSync(path.join(root, 'bin/tool'), 0o755);
  fs.symlinkSync(path.join(root, 'outside'), path.join(root, 'apps/web/escape'));
  const apps = path.join(root, 'apps');
  return { root, apps, outside: path.join(root, 'outside'), ctx: { node: 'nas', baseDir: path.join(apps, 'web'), resolver: fileSystemResolver(path.join(root, 'bin')) } };
}

const trusting = (t: Tree, extra: object = {}): TrustPolicy => policyOf({ specs: { commands: [`${t.apps}/**/*.js`], cwds: [`${t.apps}/web`, `${t.apps}/web/**`], ...extra } });

test('by default the master may use every verb on the worker own apps, and never send a spec', (t) => {
  for (const verb of ['ls', 'describe', 'start', 'stop', 'restart', 'reload', 'signal', 'logs', 'flush'] as const) t.true(authorizeVerb(DEFAULT_TRUST, 'nas', verb, 'api').ok, verb);
  const spec = authorizeSpec(DEFAULT_TRUST, { name: 'x', script: 'server.js' }, tree().ctx);
  t.like(spec, { ok: false, code: 'refused_by_policy', node: 'nas', rule: 'trust.specs' });
});

test('a verb outside trust.verbs is refused with the node and the rule', (t) => {
  const policy = policyOf({ verbs: ['ls', 'logs'] });
  t.true(authorizeVerb(policy, 'nas', 'ls', undefined).ok);
  const refused = authorizeVerb(policy, 'nas', 'restart', 'api');
  t.like(refused, { ok: false, code: 'refused_by_policy', node: 'nas', rule: 'trust.verbs' });
  if (!refused.ok) t.regex(refused.message, /node "nas" refused restart api.*allowed verbs are ls, logs/);
});

test('a reload without a target (re-read the worker config) is refused even when reload is trusted', (t) => {
  t.like(authorizeVerb(DEFAULT_TRUST, 'nas', 'reload', undefined), { ok: false, rule: 'reload.target' });
  t.true(authorizeVerb(DEFAULT_TRUST, 'nas', 'reload', 'api').ok);
});

test('options: every problem at once, each naming its key', (t) => {
  const result = resolveTrust({ verbs: ['ls', 'shutdown'], specs: { commands: ['relative/*.js', /x/, '/srv/../etc/*'], cwds: [], env: ['PORT', 'BAD-NAME'], shell: true }, extra: 1 });
  t.false(result.ok);
  const problems = result.ok ? [] : result.problems;
  for (const expected of [/^trust\.extra: unknown key/, /^trust\.verbs\[1\]: expected one of .*got "shutdown"/, /^trust\.specs\.shell: unknown key/, /^trust\.specs\.commands\[0\]: expected an absolute path pattern/, /^trust\.specs\.commands\[2\]: "\." and "\.\." segments/, /^trust\.specs\.cwds: expected a non-empty array/, /^trust\.specs\.env\[1\]: expected a variable name/]) {
    t.true(problems.some((p) => expected.test(p)), `${expected} in\n${problems.join('\n')}`);
  }
  t.is(problems.length, 7);
  t.like(resolveTrust('yes'), { ok: false, problems: ['trust: expected { verbs?, specs? }, got "yes" (string)'] });
  t.like(resolveTrust({ specs: true }), { ok: false });
  t.true(resolveTrust({ specs: false }).ok);
});

test('a trusted spec runs with real paths, resolved from the worker config folder', (t) => {
  const tr = tree();
  const decision = authorizeSpec(trusting(tr, { env: ['PORT'] }), { name: 'web2', script: 'server.js', args: ['--port', '8080'], env: { PORT: '8080' } }, tr.ctx);
  t.deepEqual(decision, { ok: true, spec: { name: 'web2', script: `${tr.apps}/web/server.js`, args: ['--port', '8080'], cwd: `${tr.apps}/web`, interpreter: undefined, env: { PORT: '8080' } } });
});

test('bypass: .. in the script or cwd is resolved before matching', (t) => {
  const tr = tree();
  const policy = trusting(tr);
  t.like(authorizeSpec(policy, { name: 'a', script: '../../outside/evil.js' }, tr.ctx), { ok: false, rule: 'trust.specs.commands' });
  t.like(authorizeSpec(policy, { name: 'a', script: 'server.js', cwd: '../../outside' }, tr.ctx), { ok: false, rule: 'trust.specs.cwds' });
  t.like(authorizeSpec(policy, { name: 'a', script: `${tr.apps}/web/../../outside/evil.js` }, tr.ctx), { ok: false, rule: 'trust.specs.commands' });
});

test('bypass: a symlink inside a trusted folder that points out of it is followed and refused', (t) => {
  const tr = tree();
  const decision = authorizeSpec(trusting(tr), { name: 'a', script: 'escape/evil.js' }, tr.ctx);
  t.like(decision, { ok: false, rule: 'trust.specs.commands' });
  if (!decision.ok) t.true(decision.message.includes(`${tr.outside}/evil.js matches no trusted command`), decision.message);
  t.like(authorizeSpec(trusting(tr), { name: 'a', script: 'evil.js', cwd: 'escape' }, tr.ctx), { ok: false, rule: 'trust.specs.cwds' });
});

test('bypass: patterns are whole-string matches (no prefix, suffix or sibling folder passes)', (t) => {
  const tr = tree();
  const policy = policyOf({ specs: { commands: [`${tr.apps}/web/*.js`], cwds: [`${tr.apps}/web`] } });
  t.like(authorizeSpec(policy, { name: 'a', script: 'lib/x.js' }, tr.ctx), { ok: false, rule: 'trust.specs.commands' }, '* stays in one segment');
  t.like(authorizeSpec(policy, { name: 'a', script: 'server.js', cwd: `${tr.apps}/trusted-evil` }, { ...tr.ctx }), { ok: false, rule: 'trust.specs.cwds' });
  t.true(authorizeSpec(policy, { name: 'a', script: 'server.js' }, tr.ctx).ok);
});

test('bypass: a RegExp alternation or a g flag cannot loosen the anchor', (t) => {
  const tr = tree();
  const escaped = tr.apps.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const policy = policyOf({ specs: { commands: [new RegExp(`${escaped}/web/server\\.js|${escaped}/nothing`, 'g')], cwds: [/.*/] } });
  t.true(authorizeSpec(policy, { name: 'a', script: 'server.js' }, tr.ctx).ok);
  t.true(authorizeSpec(policy, { name: 'a', script: 'server.js' }, tr.ctx).ok, 'a g flag does not make the second test fail');
  const loose = policyOf({ specs: { commands: [/x\.js|evil\.js/], cwds: [/.*/] } });
  t.like(authorizeSpec(loose, { name: 'a', script: `${tr.outside}/evil.js` }, tr.ctx), { ok: false, rule: 'trust.specs.commands' }, 'the alternation is anchored as a whole');
});

test('bypass: an untrusted interpreter, a bare command from PATH, unknown keys and env are refused', (t) => {
  const tr = tree();
  const policy = trusting(tr);
  t.like(authorizeSpec(policy, { name: 'a', script: 'server.js', interpreter: 'tool' }, tr.ctx), { ok: false, rule: 'trust.specs.commands' });
  t.like(authorizeSpec(policy, { name: 'a', script: 'tool' }, tr.ctx), { ok: false, rule: 'trust.specs.commands' });
  t.like(authorizeSpec(policy, { name: 'a', script: 'missing-tool' }, tr.ctx), { ok: false, rule: 'trust.specs.commands' });
  t.like(authorizeSpec(policy, { name: 'a', script: 'server.js', node_args: ['--require', '/tmp/x.js'] }, tr.ctx), { ok: false, rule: 'spec' });
  t.like(authorizeSpec(policy, { name: 'a', script: 'server.js', env: { NODE_OPTIONS: '--require /tmp/x.js' } }, tr.ctx), { ok: false, rule: 'trust.specs.env' });
  const withTool = policyOf({ specs: { commands: [`${tr.root}/bin/tool`, `${tr.apps}/**`], cwds: [`${tr.apps}/**`] } });
  t.like(authorizeSpec(withTool, { name: 'a', script: 'server.js', interpreter: 'tool' }, tr.ctx), { ok: true, spec: { interpreter: `${tr.root}/bin/tool` } });
});

test('bad spec shapes from the wire are refused with what was wrong, never thrown', (t) => {
  const tr = tree();
  const policy = trusting(tr);
  for (const [raw, expected] of [
    [null, /expected an app spec object/],
    [{ name: 'a b', script: 'server.js' }, /name: expected/],
    [{ name: 'a', script: 'server.js\u0000.sh' }, /script: expected/],
    [{ name: 'a', script: 'server.js', cwd: 'web\n' }, /cwd: expected/],
    [{ name: 'a', script: 'server.js', args: 'rm -rf /' }, /args: expected/],
    [{ name: 'a', script: 'server.js', args: ['a\u0000b'] }, /args: expected/],
    [{ name: 'a', script: 'server.js', env: { 'A=B': 'x' } }, /env\.A=B: expected/],
    [{ name: 'a', script: 'server.js', __proto__: { x: 1 }, constructor: 'x' }, /unsupported key "constructor"/],
  ] as const) {
    const decision = authorizeSpec(policy, raw, tr.ctx);
    t.false(decision.ok);
    if (!decision.ok) t.regex(decision.message, expected);
  }
});

test('federation({ trust }) is checked with the other options when the config loads', (t) => {
  const error = t.throws(() => federation({ name: 'nas', colour: 'red', trust: { verbs: ['ls', 'nuke'], specs: { commands: ['apps/*'], cwds: ['/srv'] } } } as never));
  t.regex(error.message, /colour: unknown option/);
  t.regex(error.message, /trust\.verbs\[1\]: expected one of/);
  t.regex(error.message, /trust\.specs\.commands\[0\]: expected an absolute path pattern/);
  t.throws(() => federation({ listen: '127.0.0.1:0', trust: {} }), { message: /trust: only a worker has a trust policy/ });
  const worker = resolveOptions({ name: 'nas', trust: { verbs: ['ls', 'logs'] } });
  t.true(worker.role === 'worker' && worker.trust.verbs.has('logs') && !worker.trust.verbs.has('restart'));
  const plain = resolveOptions({ name: 'nas' });
  t.true(plain.role === 'worker' && plain.trust === DEFAULT_TRUST && plain.trust.specs === undefined);
});
