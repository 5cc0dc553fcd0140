import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { FIXTURES, PROJECT_ROOT, tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const IMAGE = 'localhost/node-unit:test';

function podman(args: readonly string[], timeoutMs = 600_000): { readonly code: number | null; readonly output: string } {
  const result = spawnSync('podman', args, { encoding: 'utf8', timeout: timeoutMs });
  return { code: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

test('the image builds, runs up --no-tui as PID 1 on a read-only root with no capabilities, reaps orphans and stops on SIGTERM with exit 0', async (t) => {
  t.is(podman(['--version']).code, 0, 'podman is needed: apt-get install podman');
  const built = podman(['build', '-t', IMAGE, PROJECT_ROOT]);
  t.is(built.code, 0, built.output.slice(-3000));

  const app = tempDir('nu-container-');
  fs.copyFileSync(path.join(FIXTURES, 'procs', 'orphans.js'), path.join(app, 'orphans.js'));
  fs.writeFileSync(path.join(app, 'package.json'), '{"type":"module"}\n');
  fs.writeFileSync(path.join(app, 'ecosystem.config.json'), JSON.stringify({ apps: [{ name: 'churn', script: 'orphans.js', args: ['30', '1500'], kill_timeout: '2s' }] }));
  const name = `node-unit-test-${process.pid}`;
  const run = spawn('podman', [
    'run', '--rm', '--name', name, '--read-only', '--tmpfs', '/tmp', '--tmpfs', '/state:uid=1000,gid=1000',
    '--security-opt', 'no-new-privileges', '--cap-drop', 'ALL', '-v', `${app}:/app:ro`, IMAGE,
  ]);
  t.teardown(() => void podman(['rm', '-f', name]));
  let output = '';
  run.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  run.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => run.once('exit', (code) => resolve(code)));
  await waitFor(() => (output.match(/churn +\| orphan \d+/g) ?? []).length > 100, { timeoutMs: 60_000, what: `orphans in:\n${output.slice(-2000)}` });
  const ps = podman(['exec', name, 'sh', '-c', 'for s in /proc/[0-9]*/stat; do cut -d" " -f3 "$s"; done']);
  t.is(ps.code, 0, ps.output);
  t.is(ps.output.split('\n').filter((state) => state === 'Z').length, 0);
  t.is(podman(['exec', name, 'cat', '/proc/1/comm']).output.trim(), 'node-unit-init');
  podman(['kill', '--signal', 'TERM', name]);
  t.is(await exited, 0, output.slice(-2000));
});
