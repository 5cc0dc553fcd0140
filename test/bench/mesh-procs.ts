/**
 * A master and one worker as real `node-unit up` processes on 127.0.0.1, each in its own folder with its
 * own apps, joined by a real invite; and a `logs -f` viewer on the master whose output is counted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectControl, type ControlClient } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';

const ROOT = process.cwd();
const CLI = path.join(ROOT, 'bin', 'node-unit.js');
const PROCS = path.join(ROOT, 'test', 'fixtures', 'procs');

export interface MeshNode {
  readonly dir: string;
  readonly proc: ChildProcess;
  readonly client: ControlClient;
}

export interface Mesh {
  readonly master: MeshNode;
  readonly worker: MeshNode;
  close(): Promise<void>;
}

/** Apps every node runs: `api` (never exits) and `flood-1…n` (started on demand, `lines` lines of `lineBytes`). */
function config(plugin: string, floods: number, lines: number, lineBytes: number): string {
  const apps = [`{ name: 'api', script: ${JSON.stringify(path.join(PROCS, 'forever.js'))} }`];
  for (let i = 1; i <= floods; i++) apps.push(`{ name: 'flood-${i}', script: ${JSON.stringify(path.join(PROCS, 'flood.js'))}, args: ['${lines}', 'block', '${lineBytes}'], autostart: false, autorestart: false }`);
  return `import { federation } from 'node-unit/federation';\nexport default { apps: [${apps.join(', ')}], plugins: [federation(${plugin})] };\n`;
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`bench: ${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startNode(prefix: string, plugin: string, floods: number, lines: number, lineBytes: number): Promise<MeshNode> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, 'ecosystem.config.mjs'), config(plugin, floods, lines, lineBytes));
  const proc = spawn(process.execPath, [CLI, 'up'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  proc.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4096)));
  proc.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4096)));
  await until(`node-unit up in ${dir} to start federation (output: ${output})`, 20_000, () => (/federation: (master|worker)/.test(output) ? true : undefined));
  // No heartbeat: on a loaded machine a supervisor relaying a flood may answer late, and late is still a figure.
  const client = await connectControl(controlSocketPath(path.join(dir, '.node-unit')), { heartbeat: false });
  return { dir, proc, client };
}

function cli(args: readonly string[], cwd: string, input?: string): string {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`node-unit ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

async function stopNode(node: MeshNode): Promise<void> {
  await node.client.close().catch(() => undefined);
  const exited = new Promise((resolve) => node.proc.once('exit', resolve));
  node.proc.kill('SIGTERM');
  const timer = setTimeout(() => node.proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  fs.rmSync(node.dir, { recursive: true, force: true });
}

/** A master on `port` and a worker named `w` joined to it, both online. */
export async function startMesh(port: number, floods: number, lines: number, lineBytes: number): Promise<Mesh> {
  const master = await startNode('nu-bench-mm-', `{ name: 'hub', listen: '127.0.0.1:${port}' }`, floods, lines, lineBytes);
  const worker = await startNode('nu-bench-mw-', `{ name: 'w' }`, floods, lines, lineBytes).catch(async (error: unknown) => {
    await stopNode(master);
    throw error;
  });
  const close = async (): Promise<void> => {
    await stopNode(worker);
    await stopNode(master);
  };
  try {
    cli(['join', '-'], worker.dir, cli(['invite', '--name', 'w'], master.dir).trim());
    await until('the worker to come online', 20_000, async () => {
      const nodes = await master.client.callPlugin('federation', 'nodes');
      return Array.isArray(nodes) && nodes.some((n: unknown) => typeof n === 'object' && n !== null && 'state' in n && n.state === 'online') ? true : undefined;
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { master, worker, close };
}

const SKIPPED = Buffer.from(' skipped: ');

/** The counts of the `[… N lines skipped` / `dropped` markers in `text`. */
const markers = (text: string): readonly number[] => [...text.matchAll(/\[… (\d+) lines? (?:skipped|dropped)/g)].map((match) => Number(match[1]));
const sum = (counts: readonly number[]): number => counts.reduce((a, b) => a + b, 0);

export interface Viewed {
  readonly lines: number;
  /** From the first flood line the viewer printed to the last (the rate while it was saturated). */
  readonly seconds: number;
  /** From the moment the flood was asked to start to the last line the viewer printed (the whole flood). */
  readonly wholeSeconds: number;
  readonly dropped: number;
  /** CPU seconds each process spent from the start of the flood until the viewer had printed its last line. */
  readonly cpu: { readonly master: number; readonly worker: number; readonly viewer: number };
}

const CLOCK_TICKS = 100;

/** User + system CPU seconds of a live process (Linux /proc); 0 where it cannot be read. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * Runs `logs -f <app> [--node w]` on the master, calls `start` once the viewer is up, and counts the flood's
 * lines it prints from the first to the last, until the viewer has been quiet for `quietMs` after `expected`
 * lines or the flood's end (at most `limitMs`). Dropped lines are read from its markers.
 */
export async function viewFlood(mesh: Mesh, app: string, node: string | undefined, start: () => Promise<unknown>, expected: number, limitMs: number): Promise<Viewed> {
  const viewer = spawn(process.execPath, [CLI, 'logs', '-f', app, ...(node ? ['--node', node] : [])], { cwd: mesh.master.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let lines = 0;
  let dropped = 0;
  let first = 0;
  let last = 0;
  viewer.stdout?.on('data', (chunk: Buffer) => {
    const now = performance.now();
    if (first === 0) first = now;
    last = now;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
    // A local viewer's markers come inline (`[… N lines skipped`), a remote one's on stderr.
    if (!chunk.includes(SKIPPED)) return;
    const counts = markers(chunk.toString('utf8'));
    lines -= counts.length;
    dropped += sum(counts);
  });
  viewer.stderr?.setEncoding('utf8').on('data', (text: string) => void (dropped += sum(markers(text))));
  // The viewer follows once it has read its (empty) tail, a moment after it starts.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  if (viewer.exitCode !== null) throw new Error(`logs -f ${app} exited ${viewer.exitCode} before the flood`);
  const procs = { master: mesh.master.proc.pid, worker: mesh.worker.proc.pid, viewer: viewer.pid };
  const cpuBefore = { master: cpuSeconds(procs.master), worker: cpuSeconds(procs.worker), viewer: cpuSeconds(procs.viewer) };
  const asked = performance.now();
  await start();
  const started = performance.now();
  await until(`the flood of ${app} to reach the viewer`, limitMs, () => {
    const now = performance.now();
    const quietFor = last === 0 ? 0 : now - last;
    if (lines + dropped >= expected && quietFor > 300) return true;
    if (now - started > limitMs - 1000 || (last > 0 && quietFor > 3000)) return true;
    return undefined;
  });
  const cpu = { master: cpuSeconds(procs.master) - cpuBefore.master, worker: cpuSeconds(procs.worker) - cpuBefore.worker, viewer: cpuSeconds(procs.viewer) - cpuBefore.viewer };
  viewer.kill('SIGINT');
  const exited = new Promise((resolve) => viewer.once('exit', resolve));
  const timer = setTimeout(() => viewer.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  return { lines, seconds: Math.max(0.001, (last - first) / 1000), wholeSeconds: Math.max(0.001, (last - asked) / 1000), dropped, cpu };
}

/**
 * Seconds from asking the worker to start `app` until it has exited, with nobody following its lines: how
 * fast the flood goes through the worker's own supervisor (its pipe read, log files and headless output) on
 * this machine. No follower of that flood can print faster.
 */
export async function floodAlone(mesh: Mesh, app: string, limitMs: number): Promise<number> {
  const asked = performance.now();
  await mesh.worker.client.start(app);
  await until(`${app} to end`, limitMs, async () => ((await mesh.worker.client.list()).some((i) => i.app === app && (i.state.status === 'exited' || i.state.status === 'stopped' || i.state.status === 'errored')) ? true : undefined));
  return (performance.now() - asked) / 1000;
}
