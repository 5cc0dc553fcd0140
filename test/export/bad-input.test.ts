import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { writeExport } from '../../src/cli/commands/export-write.js';
import { CLI, runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { RICH } from './helpers.js';

const NO_STACK = /\n\s+at /;

/** Every file under a folder, relative to it: what an export left behind. */
function listed(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort() : [];
}

test('export --out onto a file is an error that names it, with no stack trace, and the file is left as it was', async (t) => {
  const dir = tempDir('nu-export-bad-');
  const file = path.join(dir, 'units');
  fs.writeFileSync(file, 'mine\n');
  for (const out of [file, path.join(file, 'sub')]) {
    const result = await runCli(['export', 'systemd', '--config', RICH, '--out', out]);
    t.is(result.code, 1, result.stderr);
    t.true(result.stderr.includes(`error --out ${out}: ${file} is a file, not a folder`), result.stderr);
    t.notRegex(result.stderr, NO_STACK);
  }
  t.is(fs.readFileSync(file, 'utf8'), 'mine\n');
});

test('export --out where an exported file would go is a folder: an error that names it, and no other file is written', async (t) => {
  const out = tempDir('nu-export-bad-');
  fs.mkdirSync(path.join(out, 'worker.service'));
  const result = await runCli(['export', 'systemd', '--config', RICH, '--out', out]);
  t.is(result.code, 1, result.stderr);
  t.true(result.stderr.includes(`${path.join(out, 'worker.service')} is a folder`), result.stderr);
  t.deepEqual(listed(out), ['worker.service']);
});

test('export --out into a folder this user cannot write: an error that says so, and nothing written', (t) => {
  const parent = tempDir('nu-export-bad-');
  fs.chmodSync(parent, 0o755);
  const out = path.join(parent, 'locked');
  fs.mkdirSync(out, { mode: 0o555 });
  fs.chmodSync(out, 0o555);
  // Root writes anywhere: the CLI runs as nobody then, as a user without the right would.
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const result = spawnSync(process.execPath, [CLI, 'export', 'systemd', '--config', RICH, '--out', out], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000, ...asNobody });
  t.is(result.status, 1, result.stderr);
  t.regex(result.stderr, new RegExp(`error --out ${out}: ${out} is not writable by this user \\(uid \\d+\\)`));
  t.notRegex(result.stderr, NO_STACK);
  t.deepEqual(listed(out), []);
});

test('a write that fails part-way takes back the files already written: all or nothing', (t) => {
  const out = tempDir('nu-export-bad-');
  // The second name points into a folder that does not exist: its write fails after the first one's.
  const outcome = writeExport(out, [
    { name: 'a.service', text: '[Service]\n' },
    { name: 'missing/b.service', text: '[Service]\n' },
  ]);
  t.false(outcome.ok);
  t.regex(outcome.ok ? '' : outcome.message, /cannot write .*missing\/b\.service: ENOENT.*; nothing was written$/);
  t.deepEqual(listed(out), []);
});

test('export --env naming a profile no app has is an error that lists the profiles there are; no folder is made', async (t) => {
  const out = path.join(tempDir('nu-export-bad-'), 'deploy');
  const result = await runCli(['export', 'k8s', '--config', RICH, '--image', 'shop:1', '--env', 'prodution', '--out', out]);
  t.is(result.code, 1, result.stderr);
  t.regex(result.stderr, /^error --env prodution: no app in \S*ecosystem\.config\.js has env_prodution \(the profiles it has: production\)$/m);
  t.false(fs.existsSync(out));
});

test('export of a malformed config names the key and exits 1; an unknown target names the choices and exits 2', async (t) => {
  const dir = tempDir('nu-export-bad-');
  writeFiles(dir, { 'ecosystem.config.json': JSON.stringify({ apps: [{ name: 'api', script: 'a.js', kill_timeout: 'soon' }] }) });
  const bad = await runCli(['export', 'compose', '--image', 'x', '--out', path.join(dir, 'out')], { cwd: dir });
  t.is(bad.code, 1, bad.stderr);
  t.regex(bad.stderr, /apps\[0\]\.kill_timeout: /);
  t.notRegex(bad.stderr, NO_STACK);
  t.false(fs.existsSync(path.join(dir, 'out')));

  const unknown = await runCli(['export', 'swarm', '--config', RICH]);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /'swarm' is invalid .* nomad, k8s, compose, systemd/);
});

test('export: an empty --image and a relative --workdir are usage errors', async (t) => {
  const empty = await runCli(['export', 'k8s', '--config', RICH, '--image', ' ']);
  t.is(empty.code, 2);
  t.regex(empty.stderr, /^error --image is empty/m);
  const relative = await runCli(['export', 'compose', '--config', RICH, '--image', 'x', '--workdir', 'app']);
  t.is(relative.code, 2);
  t.regex(relative.stderr, /^error --workdir "app": expected an absolute path inside the image/m);
  t.is(relative.stdout, '');
});

test('export does not warn that a placed app "runs here": placement is what it translates or lists', async (t) => {
  const result = await runCli(['export', 'k8s', '--config', RICH, '--image', 'x']);
  t.is(result.code, 0, result.stderr);
  t.notRegex(result.stderr, /runs here/);
  t.regex(result.stdout, /nodeSelector:\n\s+role: db/);
});

test('export of two apps whose names become one in the targets (my_app, my-app) is an error that names both', async (t) => {
  const dir = tempDir('nu-export-bad-');
  writeFiles(dir, { 'ecosystem.config.json': JSON.stringify({ apps: [{ name: 'my_app', script: 'a.js' }, { name: 'my-app', script: 'b.js' }, { name: 'Web', script: 'w.js' }, { name: 'web', script: 'w.js' }] }) });
  for (const target of ['systemd', 'compose']) {
    const result = await runCli(['export', target, '--image', 'x', '--out', path.join(dir, target)], { cwd: dir });
    t.is(result.code, 1, result.stderr);
    t.regex(result.stderr, /^error app names that differ only in case or punctuation become the same name in the exported files: my_app and my-app are both "my-app"; Web and web are both "web"\. Rename one of them\.$/m);
    t.false(fs.existsSync(path.join(dir, target)));
  }
});
