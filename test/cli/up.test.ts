import path from 'node:path';
import test from 'ava';
import { isAlive, readTreePids } from '../helpers/proc.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { startUp } from '../helpers/up.js';
import { waitFor } from '../helpers/wait.js';

const procs = path.join(FIXTURES, 'procs');


function treeConfig(dir: string, count: number): string {
  const apps = Array.from({ length: count }, (_, i) => ({
    name: `app${i}`,
    script: path.join(procs, 'tree.js'),
    args: [path.join(dir, `pids-${i}`), ...(i % 2 === 0 ? ['escape'] : [])],
    kill_timeout: 500,
  }));
  return `module.exports = ${JSON.stringify({ apps }, null, 2)};\n`;
}

test('headless up prints prefixed lines and state changes; SIGTERM stops everything and exits 0', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.cjs': treeConfig(dir, 2) });
  const up = startUp(t, [], { cwd: dir });
  await up.waitForLine(/^node-unit \| app0 online \(pid \d+\)$/);
  await up.waitForLine(/^app1\s+\| tree started pids=/);
  const pids = await waitFor(() => readTreePids(dir, 2), { what: 'pid files' });
  t.true(pids.every(isAlive));
  up.child.kill('SIGTERM');
  const { code } = await up.exited;
  t.is(code, 0);
  t.deepEqual(pids.filter(isAlive), []);
  t.regex(up.output(), /node-unit \| stopping everything \(SIGTERM\)/);
  t.regex(up.output(), /node-unit \| app0 stopped/);
});

test.serial('SIGKILL of the supervisor leaves no managed process alive (10 apps with grandchildren)', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.cjs': treeConfig(dir, 10) });
  const up = startUp(t, [], { cwd: dir });
  const pids = await waitFor(() => readTreePids(dir, 10), { what: 'pid files of 10 apps', timeoutMs: 20_000 });
  t.is(pids.length, 25);
  await waitFor(() => pids.every(isAlive), { what: 'every process to run' });
  up.child.kill('SIGKILL');
  await up.exited;
  await waitFor(() => pids.every((pid) => !isAlive(pid)), { timeoutMs: 3000, what: `all managed processes to be gone; alive: ${pids.filter(isAlive).join(', ')}` });
  t.deepEqual(pids.filter(isAlive), []);
});

test('--only starts just the named apps; an unknown name is a usage error', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.cjs': treeConfig(dir, 3) });
  const bad = startUp(t, ['--only', 'app1,nope'], { cwd: dir });
  t.is((await bad.exited).code, 2);
  t.regex(bad.output(), /--only: no app named "nope" \(apps: app0, app1, app2\)/);
  const up = startUp(t, ['--only', 'app1'], { cwd: dir });
  await up.waitForLine(/app1 online/);
  t.false(up.output().includes('app0 online'));
  up.child.kill('SIGINT');
  t.is((await up.exited).code, 0);
});

test('an invalid config starts nothing and exits 1 with the problems', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.cjs': 'module.exports = { apps: [{ name: "a", script: "x.js", max_restarts: "ten" }] };\n' });
  const up = startUp(t, [], { cwd: dir });
  t.is((await up.exited).code, 1);
  t.regex(up.output(), /apps\[0\]\.max_restarts: expected a non-negative integer, got "ten" \(string\)/);
});

test('FORCE_COLOR colours the names; NO_COLOR keeps them plain', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.cjs': `module.exports = { apps: [{ name: 'hello', script: ${JSON.stringify(path.join(procs, 'forever.js'))} }] };\n` });
  const colored = startUp(t, [], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
  await colored.waitForLine(/forever started/);
  t.true(colored.output().includes('\x1b[36mhello'));
  colored.child.kill('SIGINT');
  await colored.exited;
  const plain = startUp(t, [], { cwd: dir });
  await plain.waitForLine(/^hello\s+\| forever started/);
  t.false(plain.output().includes('\x1b['));
  plain.child.kill('SIGINT');
  await plain.exited;
});

test('without a terminal, colours the apps print are stripped from the prefixed output', async (t) => {
  const dir = tempDir();
  writeFiles(dir, {
    'green.cjs': "console.log('\\x1b[32mgreen\\x1b[39m text'); setInterval(() => {}, 1 << 30);\n",
    'ecosystem.config.cjs': "module.exports = { apps: [{ name: 'paint', script: 'green.cjs' }] };\n",
  });
  const up = startUp(t, [], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: undefined } });
  await up.waitForLine(/^paint\s+\| green text$/);
  t.false(up.output().includes('\x1b['));
  up.child.kill('SIGINT');
  t.is((await up.exited).code, 0);
});

test('a second Ctrl-C kills at once, without waiting for kill_timeout', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.cjs': `module.exports = { apps: [{ name: 'stubborn', script: ${JSON.stringify(path.join(procs, 'ignore-term.js'))}, kill_timeout: 60000 }] };\n` });
  const up = startUp(t, [], { cwd: dir });
  const line = await up.waitForLine(/^stubborn\s+\| ignore-term started pid=\d+/);
  const pid = Number(/pid=(\d+)/.exec(line)?.[1]);
  up.child.kill('SIGINT');
  await up.waitForLine(/stopping everything \(SIGINT\)/);
  await up.waitForLine(/^stubborn\s+\| ignoring SIGINT/);
  const started = Date.now();
  up.child.kill('SIGINT');
  await up.exited;
  t.true(Date.now() - started < 10_000);
  t.false(isAlive(pid));
  t.regex(up.output(), /second Ctrl-C: killing everything now/);
});
