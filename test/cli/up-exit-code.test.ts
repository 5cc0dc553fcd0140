import { spawn } from 'node:child_process';
import path from 'node:path';
import test from 'ava';
import { CLI, runCli } from '../helpers/cli.js';
import { cjsConfig, upProject } from '../helpers/control.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { startUp } from '../helpers/up.js';

// One at a time: each test runs one or two supervisors, and the whole suite shares two cores.
const proc = (name: string): string => path.join(FIXTURES, 'procs', name);
/** Exits with `code` after `ms`; `max_restarts` 1 within a long min_uptime: errored on its second exit. */
const crashing = { name: 'crash', script: proc('exit-after.js'), args: ['1', '0'], max_restarts: 1, min_uptime: 60_000 };
const job = (name: string, code: number, ms: number, extra: Readonly<Record<string, unknown>> = {}) => ({ name, script: proc('exit-after.js'), args: [String(code), String(ms)], autorestart: false, ...extra });

function project(apps: readonly Record<string, unknown>[]): string {
  const dir = tempDir('nu-exit-code-');
  writeFiles(dir, { 'ecosystem.config.cjs': cjsConfig(apps) });
  return dir;
}

test.serial('up --no-tui with an app that errors out ends by itself with 1 and says why', async (t) => {
  const up = startUp(t, ['--no-tui'], { cwd: project([crashing]) });
  const { code } = await up.exited;
  t.is(code, 1, up.output());
  t.regex(up.output(), /^node-unit \| stopping everything \(every app has ended\)$/m);
  t.regex(up.output(), /^node-unit \| every app has ended; exit code 1: crash errored: exited with code 1; 2 exits in a row within min_uptime 60000ms \(max_restarts 1\)$/m);
});

test.serial('apps that all end with 0 or a stop_exit_codes code end up with 0; a dependent waiting for a job to complete runs first', async (t) => {
  const apps = [
    // Restarted on other codes; 3 is declared a deliberate end. It has ended long before migrate does.
    { name: 'once', script: proc('exit-after.js'), args: ['3', '0'], stop_exit_codes: [3] },
    job('migrate', 0, 500),
    // A free port is looked for (real I/O) between migrate's end and api's spawn: up must not end meanwhile.
    job('api', 0, 300, { depends_on: { migrate: 'completed' }, ports: { PORT: 0 } }),
  ];
  const up = startUp(t, ['--no-tui'], { cwd: project(apps) });
  const { code } = await up.exited;
  t.is(code, 0, up.output());
  t.regex(up.output(), /^api +\| exit-after pid=\d+ code=0/m);
  t.regex(up.output(), /^node-unit \| every app has ended; exit code 0$/m);
});

test.serial('an app that exited by itself with another code and was not restarted makes it 1', async (t) => {
  const up = startUp(t, ['--no-tui'], { cwd: project([job('report', 4, 50), job('ok', 0, 50)]) });
  t.is((await up.exited).code, 1, up.output());
  t.regex(up.output(), /^node-unit \| every app has ended; exit code 1: report exited with code 4$/m);
});

test.serial('SIGTERM with clean apps exits 0 and adds nothing; SIGTERM after an app errored exits 1 and names it', async (t) => {
  const clean = startUp(t, ['--no-tui'], { cwd: project([{ name: 'web', script: proc('forever.js') }, job('migrate', 0, 0)]) });
  await clean.waitForLine(/^node-unit \| migrate exited with code 0$/, 60_000);
  clean.child.kill('SIGTERM');
  t.is((await clean.exited).code, 0, clean.output());
  t.notRegex(clean.output(), /exit code/);

  const failed = startUp(t, ['--no-tui'], { cwd: project([{ name: 'web', script: proc('forever.js') }, crashing]) });
  await failed.waitForLine(/^node-unit \| crash errored: /, 60_000);
  failed.child.kill('SIGTERM');
  t.is((await failed.exited).code, 1, failed.output());
  t.regex(failed.output(), /^node-unit \| exit code 1 \(stopped by SIGTERM\): crash errored: exited with code 1;/m);
});

test.serial('a command keeps up running: restarting or stopping the last running app while another has ended', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([{ name: 'web', script: proc('forever.js') }, job('migrate', 0, 0)]) }, ['--no-tui']);
  await p.status('migrate:0', 'exited', 60_000);
  await p.status('web:0', 'online', 60_000);
  t.like(await p.client.restart('web'), { ok: true });
  await p.status('web:0', 'online', 60_000);
  t.like(await p.client.stop('web'), { ok: true });
  await p.status('web:0', 'stopped', 60_000);
  // Still answering: a stopped app waits to be started again.
  t.like(await p.client.start('web'), { ok: true });
  await p.status('web:0', 'online', 60_000);
  t.is(p.up.child.exitCode, null, p.up.output());
  t.is((await runCli(['down'], { cwd: p.dir })).code, 0);
  t.is((await p.up.exited).code, 0, p.up.output());
});

test.serial('--no-auto-exit keeps up running once every app has ended; down then exits with the verdict', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([job('report', 4, 0)]) }, ['--no-tui', '--no-auto-exit']);
  await p.status('report:0', 'exited', 60_000);
  t.like(await p.client.list(), [{ id: 'report:0' }]);
  t.is((await runCli(['down'], { cwd: p.dir })).code, 0);
  t.is((await p.up.exited).code, 1, p.up.output());
  t.regex(p.up.output(), /^node-unit \| exit code 1 \(stopped by 'node-unit down'\): report exited with code 4$/m);
});

test.serial('a plugin that keeps up running (a mesh node) does so once every app has ended, without --no-auto-exit', async (t) => {
  const config = `module.exports = { apps: [${JSON.stringify(job('report', 0, 0))}], plugins: [{ name: 'mesh', keepsUp: true }] };\n`;
  const p = await upProject(t, { 'ecosystem.config.cjs': config }, ['--no-tui']);
  await p.status('report:0', 'exited', 60_000);
  // Still serving: a later command is answered by the same supervisor.
  t.like(await p.client.start('report'), { ok: true });
  t.is(p.up.child.exitCode, null, p.up.output());
  t.is((await runCli(['down'], { cwd: p.dir })).code, 0);
  t.is((await p.up.exited).code, 0, p.up.output());
});

test.serial('as PID 1 of a pid namespace (under node-unit-init), the exit code reaches the outside', async (t) => {
  t.is(process.getuid?.(), 0, 'unshare --pid needs root');
  const dir = project([crashing]);
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, CLI, 'up', '--no-tui'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.is(code, 1, output);
  t.regex(output, /every app has ended; exit code 1: crash errored: /);
  t.notRegex(output, /without node-unit-init/);
});
