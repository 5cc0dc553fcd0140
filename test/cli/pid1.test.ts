import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { CLI } from '../helpers/cli.js';
import { assertCleanRun, runAsPid1 } from '../helpers/pid1.js';
import { childrenOf } from '../helpers/pidns.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

test('up as PID 1 of a pid namespace: runs under node-unit-init, no zombies after 15 s of orphans and restarts, SIGTERM ends all within the largest kill_timeout + 1 s with exit 0', async (t) => {
  t.is(process.getuid?.(), 0, 'unshare --pid needs root');
  const run = await runAsPid1(t, 15_000);
  assertCleanRun(t, run, 100);
  t.regex(run.output, /^churn:\d +\| orphan \d+ left by pid=\d+$/m);
});

test('up as PID 1: when every app has ended by itself, the exit code says how (1 for a failure), through node-unit-init, and every line is on stdout', async (t) => {
  t.is(process.getuid?.(), 0, 'unshare --pid needs root');
  const dir = tempDir('nu-pid1-exit-');
  writeFiles(dir, {
    // Says who PID 1 is, writes to both streams, and fails.
    'fail.cjs': "console.log('pid1=' + require('node:fs').readFileSync('/proc/1/comm', 'utf8').trim());\nconsole.error('to stderr');\nprocess.exitCode = 3;\n",
    'ecosystem.config.json': JSON.stringify({ apps: [{ name: 'fail', script: 'fail.cjs', autorestart: false }] }),
  });
  const result = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, CLI, 'up', '--no-tui', '--config', path.join(dir, 'ecosystem.config.json')], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    timeout: 30_000,
  });
  t.is(result.status, 1, `${result.stdout}${result.stderr}`);
  t.regex(result.stdout, /^fail +\| pid1=node-unit-init$/m);
  t.regex(result.stdout, /^fail +\| to stderr$/m);
  t.regex(result.stdout, /every app has ended; exit code 1: fail exited with code 3$/m);
  t.is(result.stderr, '');
});

test('up as PID 1: SIGINT, like SIGTERM, is forwarded by node-unit-init to a graceful stop that ends with exit 0', async (t) => {
  t.is(process.getuid?.(), 0, 'unshare --pid needs root');
  const dir = tempDir('nu-pid1-int-');
  writeFiles(dir, { 'ecosystem.config.json': JSON.stringify({ apps: [{ name: 'calm', script: path.join(FIXTURES, 'procs', 'forever.js'), kill_timeout: '1s' }] }) });
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, CLI, 'up', '--no-tui', '--config', path.join(dir, 'ecosystem.config.json')], {
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(() => /calm +\| forever started/.test(output), { timeoutMs: 20_000, what: `the app to start, in:\n${output}` });
  const pid1 = childrenOf(child.pid ?? 0)[0] ?? 0;
  t.is(fs.readFileSync(`/proc/${pid1}/comm`, 'utf8').trim(), 'node-unit-init');
  process.kill(pid1, 'SIGINT');
  t.is(await exited, 0, output);
  t.regex(output, /^calm +\| forever got SIGINT$/m);
});
