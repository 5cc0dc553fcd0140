import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { runCli } from './cli.js';
import { cjsConfig } from './control.js';
import { FIXTURES, tempDir, writeFiles } from './tmp.js';
import { startUp } from './up.js';

const PROCS = path.join(FIXTURES, 'procs');

export interface ExitLines {
  /** Lines of the app that called process.exit() found in its log file. */
  readonly kept: number;
  /** Whether they are exactly 1…count, in order. */
  readonly inOrder: boolean;
}

/**
 * Runs `up --no-tui` with print-exit.js (count lines, then process.exit(0)) beside two apps that flood their
 * own output, waits for it to exit, brings the supervisor down and counts its lines in its log file.
 */
export async function linesKeptOnExit(t: ExecutionContext, count: number, mode: 'console' | 'chunks', extra: Readonly<Record<string, unknown>> = {}): Promise<ExitLines> {
  const dir = tempDir('nu-exit-lines-');
  const flooder = (name: string) => ({ name, script: path.join(PROCS, 'print-exit.js'), args: ['100000000', 'console'] });
  const app = { name: 'burst', script: path.join(PROCS, 'print-exit.js'), args: [String(count), mode], autorestart: false, ...extra };
  writeFiles(dir, { 'ecosystem.config.cjs': cjsConfig([app, flooder('flood1'), flooder('flood2')]) });
  const up = startUp(t, ['--no-tui'], { cwd: dir });
  // Three apps flooding a loaded machine: minutes, not seconds, are possible.
  await up.waitForLine(/^node-unit \| burst exited with code 0/, 300_000);
  const down = await runCli(['down'], { cwd: dir, timeoutMs: 60_000 });
  if (down.code !== 0) throw new Error(`down failed: ${down.stderr}`);
  await up.exited;
  const lines = fs.readFileSync(path.join(dir, '.node-unit', 'logs', 'burst-out.log'), 'utf8').split('\n').filter((line) => line !== '');
  const inOrder = lines.every((line, i) => Number(line.slice(0, 9)) === i + 1);
  return { kept: lines.length, inOrder };
}
