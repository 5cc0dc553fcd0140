import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { CLI, runCli, type CliResult } from '../helpers/cli.js';
import { cjsConfig } from '../helpers/control.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

/** Tests may run as root, who writes through any mode bits: a read-only bind mount is read-only for root too. */
function needsRoot(t: ExecutionContext): void {
  t.is(process.getuid?.(), 0, 'unshare --mount needs root');
}

function project(): string {
  const dir = tempDir('nu-state-');
  writeFiles(dir, { 'ecosystem.config.cjs': cjsConfig([{ name: 'web', script: path.join(FIXTURES, 'procs', 'forever.js') }]) });
  return dir;
}

/**
 * `node-unit up --no-tui` in a mount namespace of its own where `readOnly` is bound read-only over itself:
 * the rest of the machine sees nothing of it. Runs until it exits, or until `whileRunning` is done and a
 * SIGTERM has stopped it.
 */
function upOverReadOnly(dir: string, readOnly: string, env: NodeJS.ProcessEnv, whileRunning?: (output: () => string) => Promise<void>): Promise<CliResult> {
  const script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"';
  const child = spawn('unshare', ['--mount', 'sh', '-c', script, 'sh', readOnly, process.execPath, CLI, 'up', '--no-tui'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  void whileRunning?.(() => stdout).then(
    () => child.kill('SIGTERM'),
    () => child.kill('SIGKILL'),
  );
  return exited.then((code) => ({ code, stdout, stderr }));
}

function assertClearError(t: ExecutionContext, result: CliResult, folder: string, why: RegExp): void {
  t.is(result.code, 1, result.stderr);
  t.true(result.stderr.includes(folder), result.stderr);
  t.regex(result.stderr, why);
  t.notRegex(result.stderr, /internal error|\n\s+at /);
}

test.serial('a state folder on a read-only file system: a clear error that names it and says what to do; nothing starts', async (t) => {
  needsRoot(t);
  const dir = project();
  const result = await upOverReadOnly(dir, dir, { NODE_UNIT_STATE_DIR: undefined });
  const stateDir = path.join(dir, '.node-unit');
  assertClearError(t, result, `the state folder ${stateDir} cannot be written: ${dir} is on a read-only file system`, /--state-dir <path> or NODE_UNIT_STATE_DIR=<path>/);
  t.regex(result.stderr, new RegExp(`--tmpfs ${stateDir}`));
  t.notRegex(result.stdout, /web online/);
});

test.serial('an existing state folder that became read-only is named itself', async (t) => {
  needsRoot(t);
  const dir = project();
  const stateDir = path.join(dir, '.node-unit');
  fs.mkdirSync(stateDir);
  const result = await upOverReadOnly(dir, stateDir, { NODE_UNIT_STATE_DIR: undefined });
  assertClearError(t, result, `the state folder ${stateDir} cannot be written: ${stateDir} is on a read-only file system`, /NODE_UNIT_STATE_DIR/);
});

test.serial('a read-only project runs with NODE_UNIT_STATE_DIR on a writable folder, as in a container', async (t) => {
  needsRoot(t);
  const dir = project();
  const state = tempDir('nu-state-rw-');
  const result = await upOverReadOnly(dir, dir, { NODE_UNIT_STATE_DIR: state }, (output) =>
    waitFor(() => /^node-unit \| web online/m.test(output()), { timeoutMs: 15_000, what: 'web online' }).then(() => undefined),
  );
  t.is(result.code, 0, result.stderr + result.stdout);
  t.true(fs.existsSync(path.join(state, 'control')), 'the control socket lived in the state folder');
  t.false(fs.existsSync(path.join(dir, '.node-unit')));
});

test.serial('a state folder below a regular file: a clear error, for any user', async (t) => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'file'), '');
  const stateDir = path.join(dir, 'file', 'state');
  const result = await runCli(['up', '--no-tui', '--state-dir', stateDir], { cwd: dir });
  assertClearError(t, result, `the state folder ${stateDir} cannot be written: ${path.join(dir, 'file')} is a file, not a folder`, /--state-dir/);
});

test.serial('a socket folder that cannot be created (a long state path falls back to TMPDIR, read-only here): a clear error', async (t) => {
  needsRoot(t);
  const dir = project();
  const stateDir = path.join(dir, 'x'.repeat(100));
  const tmp = tempDir('nu-state-tmp-');
  const result = await upOverReadOnly(dir, tmp, { NODE_UNIT_STATE_DIR: stateDir, TMPDIR: tmp, XDG_RUNTIME_DIR: undefined });
  const socketFolder = path.join(tmp, `node-unit-${process.getuid?.() ?? 0}`);
  assertClearError(t, result, `cannot create the control socket in ${socketFolder}: ${tmp} is on a read-only file system`, /--state-dir \(or NODE_UNIT_STATE_DIR\) with a writable folder/);
});
