import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { controlSocketPath } from '../../src/control/paths.js';
import { runCli } from '../helpers/cli.js';
import { cjsConfig, upProject } from '../helpers/control.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { startUp } from '../helpers/up.js';

const config = cjsConfig([{ name: 'solo', script: path.join(FIXTURES, 'procs', 'forever.js') }]);

test('the socket is mode 0600 in a 0700 folder; a second up says already running and exits 1', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': config });
  t.is(fs.statSync(p.socketPath).mode & 0o777, 0o600);
  t.is(fs.statSync(path.dirname(p.socketPath)).mode & 0o777, 0o700);
  t.is(p.socketPath, path.join(p.dir, '.node-unit', 'control', 'node-unit.sock'));
  await p.status('solo:0', 'online');
  const second = startUp(t, [], { cwd: p.dir });
  t.is((await second.exited).code, 1);
  t.regex(second.output(), new RegExp(`already running \\(pid ${p.up.child.pid}\\)`));
  t.false(second.output().includes('solo online'));
  t.is((await runCli(['ls'], { cwd: p.dir })).code, 0, 'the first supervisor still answers');
});

test('with no supervisor, client verbs say so and exit 1', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.cjs': config });
  for (const args of [['ls'], ['restart', 'solo'], ['logs'], ['down'], ['reload', '--plan']]) {
    const result = await runCli(args, { cwd: dir });
    t.is(result.code, 1, args.join(' '));
    t.is(result.stderr, `error no node-unit supervisor is running for ${path.basename(dir)} — start one with 'node-unit up'\n`, args.join(' '));
  }
  const nowhere = await runCli(['ls'], { cwd: tempDir() });
  t.is(nowhere.code, 1);
  t.regex(nowhere.stderr, /no ecosystem file found/);
});

test('a socket left by a killed supervisor is replaced', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.cjs': config });
  const socketPath = controlSocketPath(path.join(dir, '.node-unit'));
  fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  await new Promise((resolve) => holder.once('exit', resolve));
  t.true(fs.existsSync(socketPath), 'the killed listener left its socket file');
  const up = startUp(t, [], { cwd: dir });
  await up.waitForLine(/solo online/);
  const ls = await runCli(['ls'], { cwd: dir });
  t.is(ls.code, 0, ls.stderr + up.output());
  up.child.kill('SIGTERM');
  t.is((await up.exited).code, 0);
  t.false(fs.existsSync(socketPath));
});

test('a state folder too deep for a unix socket uses the short fallback, found by client and server alike', async (t) => {
  const deep = path.join('a'.repeat(60), 'b'.repeat(60), 'state');
  const p = await upProject(t, { 'ecosystem.config.cjs': config }, ['--state-dir', deep]);
  t.false(p.socketPath.startsWith(p.dir));
  t.true(Buffer.byteLength(p.socketPath) <= 107);
  const ls = await runCli(['ls', '--state-dir', deep], { cwd: p.dir });
  t.is(ls.code, 0, ls.stderr);
  t.regex(ls.stdout, /solo:0/);
  t.is((await runCli(['down', '--state-dir', deep], { cwd: p.dir })).code, 0);
  t.is((await p.up.exited).code, 0);
});
