import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { CLI, runCli } from '../helpers/cli.js';
import { cjsConfig } from '../helpers/control.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const LINES = 200_000;

function appLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith('burst '));
}

/** Runs `up --no-tui` through `shell` (its output redirected into `out`), with one app printing LINES lines then exiting. */
async function headlessRun(t: ExecutionContext, redirect: (up: string, out: string) => string): Promise<{ readonly lines: string[]; readonly skipped: boolean }> {
  t.timeout(180_000);
  const dir = tempDir('nu-headless-');
  const out = path.join(dir, 'up.out');
  writeFiles(dir, { 'ecosystem.config.cjs': cjsConfig([{ name: 'burst', script: path.join(FIXTURES, 'procs', 'print-exit.js'), args: [String(LINES), 'console'], autorestart: false }]) });
  // --no-auto-exit: the supervisor is brought down after the app has ended, so every line has had its chance.
  const up = `'${process.execPath}' '${CLI}' up --no-tui --no-auto-exit`;
  const shell = spawn('/bin/sh', ['-c', redirect(up, out)], { cwd: dir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined }, stdio: 'ignore' });
  const exited = new Promise((resolve) => shell.once('exit', resolve));
  t.teardown(() => void runCli(['down'], { cwd: dir }));
  await waitFor(() => fs.existsSync(out) && /burst exited with code 0/.test(fs.readFileSync(out, 'utf8')), { timeoutMs: 150_000, intervalMs: 200, what: 'the app to exit' });
  const down = await runCli(['down'], { cwd: dir, timeoutMs: 60_000 });
  t.is(down.code, 0, down.stderr);
  await exited;
  const text = fs.readFileSync(out, 'utf8');
  return { lines: appLines(out), skipped: /lines skipped/.test(text) };
}

function numbered(lines: readonly string[]): boolean {
  return lines.every((line, i) => Number(/\| (\d{9}) /.exec(line)?.[1]) === i + 1);
}

test.serial('up --no-tui > file prints every line of a 200,000-line burst, in order, with no skip marker', async (t) => {
  const { lines, skipped } = await headlessRun(t, (up, out) => `exec ${up} > '${out}' 2>&1`);
  t.is(lines.length, LINES);
  t.true(numbered(lines));
  t.false(skipped);
});

test.serial('up --no-tui | cat > file prints every line too (a reader that keeps up)', async (t) => {
  const { lines, skipped } = await headlessRun(t, (up, out) => `${up} 2>&1 | cat > '${out}'`);
  t.is(lines.length, LINES);
  t.true(numbered(lines));
  t.false(skipped);
});

