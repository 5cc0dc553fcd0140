import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { CLI, runCli } from '../helpers/cli.js';
import { cjsConfig, parseRows, upProject } from '../helpers/control.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const chatty = (): Record<string, string> => ({
  'ecosystem.config.cjs': cjsConfig([{ name: 'chatty', script: path.join(FIXTURES, 'procs', 'steady-flood.js'), args: ['200'] }]),
});

test('up: a reader of its output that goes away (up | head) stops the printing, not the supervisor', async (t) => {
  const project = await upProject(t, chatty(), ['--no-tui']);
  await project.status('chatty:0', 'online');
  await project.up.waitForLine(/^chatty/);
  project.up.child.stdout?.destroy();
  await project.up.waitForLine(/stdout: its reader closed it; no longer printing here/);
  const listed = await runCli(['ls', '--json'], { cwd: project.dir });
  t.is(listed.code, 0, listed.stderr);
  t.is(parseRows(listed.stdout)[0]?.status, 'online');
  const logs = await runCli(['logs', 'chatty', '--lines', '3'], { cwd: project.dir });
  t.is(logs.stdout.trim().split('\n').length, 3, 'its lines still reach the ring');
  project.up.child.kill('SIGTERM');
  t.like(await project.up.exited, { code: 0 });
});

test('up 2>&1 | head: with stderr on the same closed pipe, the supervisor still keeps running', async (t) => {
  const dir = tempDir('nu-epipe-');
  writeFiles(dir, chatty());
  const fifo = path.join(dir, 'out.fifo');
  execFileSync('mkfifo', [fifo]);
  // Both ends open together: each open of a FIFO waits for the other side.
  const reader = fs.createReadStream(fifo);
  const writeFd = await new Promise<number>((resolve, reject) => fs.open(fifo, 'w', (error, fd) => (error ? reject(error) : resolve(fd))));
  const up = spawn(process.execPath, [CLI, 'up', '--no-tui'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', writeFd, writeFd] });
  fs.closeSync(writeFd);
  t.teardown(() => up.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => up.once('exit', resolve));
  let seen = '';
  reader.on('data', (chunk) => (seen += chunk.toString()));
  await waitFor(() => /^chatty/m.test(seen), { what: `a line from chatty in:\n${seen}` });
  reader.destroy();
  const lastSeen = Math.max(...[...seen.matchAll(/flood line (\d+)/g)].map((match) => Number(match[1])));
  // 100 lines later (half a second of the app's output) up has printed into the closed pipe many times.
  await waitFor(
    async () => {
      const tail = await runCli(['logs', 'chatty', '--lines', '1'], { cwd: dir });
      return Number(/flood line (\d+)/.exec(tail.stdout)?.[1] ?? 0) > lastSeen + 100;
    },
    { what: 'the app to print 100 more lines' },
  );
  const listed = await runCli(['ls', '--json'], { cwd: dir });
  t.is(parseRows(listed.stdout)[0]?.status, 'online');
  t.is(up.exitCode, null, 'the supervisor is still running');
  up.kill('SIGTERM');
  t.is(await exited, 0);
});

test('logs | head: the command ends quietly with exit code 0 when its reader goes away', async (t) => {
  const project = await upProject(t, chatty(), ['--no-tui']);
  await project.status('chatty:0', 'online');
  const child = spawn(process.execPath, [CLI, 'logs', 'chatty', '-f'], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let got = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (got += chunk));
  await waitFor(() => got.includes('\n'), { what: 'a first line from logs -f' });
  child.stdout.destroy();
  t.is(await exited, 0);
  t.is(stderr, '');
});
