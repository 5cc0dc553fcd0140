import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import type { NodeView } from '../../../plugins/federation/master.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { FIXTURES } from '../../helpers/tmp.js';
import { startUp, type UpProcess } from '../../helpers/up.js';

/** Real nodes for mesh tests: each a separate `node-unit up` in its own folder, driven with the real CLI. */

export const FOREVER = JSON.stringify(path.join(FIXTURES, 'procs', 'forever.js'));
export const IGNORE_TERM = JSON.stringify(path.join(FIXTURES, 'procs', 'ignore-term.js'));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs the CLI and returns its stdout; a non-zero exit fails with its stderr. */
export async function cli(args: readonly string[], cwd: string): Promise<string> {
  const result = await runCli(args, { cwd });
  if (result.code !== 0) throw new Error(`node-unit ${args.join(' ')} in ${cwd} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

export const nodes = async (cwd: string): Promise<readonly NodeView[]> => JSON.parse(await cli(['nodes', '--json'], cwd)) as NodeView[];

export async function pids(cwd: string): Promise<readonly number[]> {
  const list = JSON.parse(await cli(['ls', '--json'], cwd)) as { state: { pid?: number } }[];
  return list.map((i) => i.state.pid ?? -1);
}

export async function up(t: ExecutionContext, cwd: string): Promise<UpProcess> {
  const proc = startUp(t, [], { cwd });
  await proc.waitForLine(/federation: (master|worker) /);
  return proc;
}

export function join(token: string, cwd: string): string {
  const result = spawnSync(process.execPath, [CLI, 'join', '-'], { cwd, input: token, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`join failed: ${result.stderr}`);
  return result.stdout;
}

/** `join -` run without blocking this process, for a master that answers from this process. */
export function joinAsync(token: string, cwd: string): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'join', '-'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(token);
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`join failed (${code}): ${stderr}`)))));
}
