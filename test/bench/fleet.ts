/**
 * A master with many workers: a real `node-unit up` master on 127.0.0.1 and, in this process, `--workers`
 * simulated workers with `--apps` apps each. Each simulated worker is the plugin's own WorkerLink (real
 * identity, joined with a real invite, real handshake, sealed session, sealed pings) whose Controller is a
 * small in-memory one that lists its apps, so the master sees what it would see from full supervisors
 * without this 2-core machine running them. Measures the master's CPU (% of one core) over `--seconds` of
 * idle (goal ≤ 2 %), its RSS (goal ≤ 150 MiB), and how long all workers take to be back online after the
 * master restarts (goal ≤ 10 s).
 * Run: npm run build && node dist/test/bench/fleet.js [--workers 50] [--apps 20] [--seconds 30] [--json FILE]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectControl, type ControlClient } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import { serveControlPort } from '../../src/index.js';
import { DialError } from '../../plugins/federation/dial.js';
import { federationDir, loadOrCreateIdentity, type Identity } from '../../plugins/federation/identity.js';
import { joinMaster } from '../../plugins/federation/join.js';
import { DEFAULT_LIMITS } from '../../plugins/federation/limits.js';
import type { NodeView } from '../../plugins/federation/master.js';
import { WorkerLink } from '../../plugins/federation/worker.js';
import { FakeController, info, online } from '../tui/fake-controller.js';
import { freePort } from '../plugins/federation/mesh-nodes.js';
import { writeReport, single, type Figure } from './report.js';
import { numberFlag } from './stats.js';

const ROOT = process.cwd();
const argv = process.argv.slice(2);
const WORKERS = numberFlag(argv, '--workers', 50);
const APPS = numberFlag(argv, '--apps', 20);
const SECONDS = numberFlag(argv, '--seconds', 30);
/** No wait in this bench lasts longer than this. */
const DEADLINE_MS = 90_000;

interface RunningMaster {
  readonly child: ChildProcess;
  /** ms from spawn until the federation plugin said it listens. */
  readonly listeningAfterMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function startMaster(dir: string): Promise<RunningMaster> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'node-unit.js'), 'up'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  while (!/federation: master/.test(output)) {
    if (performance.now() - started > DEADLINE_MS || child.exitCode !== null) throw new Error(`the master did not start:\n${output}`);
    await sleep(20);
  }
  return { child, listeningAfterMs: performance.now() - started };
}

async function stopMaster(master: RunningMaster): Promise<void> {
  if (master.child.exitCode !== null) return;
  const exited = new Promise((resolve) => master.child.once('exit', resolve));
  master.child.kill('SIGTERM');
  await exited;
}

async function withClient<T>(socket: string, work: (client: ControlClient) => Promise<T>): Promise<T> {
  const client = await connectControl(socket);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** The federation plugin's answer to `method` (it throws what the plugin threw). */
async function rpc(client: ControlClient, method: string, params: unknown = null): Promise<unknown> {
  return client.callPlugin('federation', method, params);
}

async function onlineCount(socket: string): Promise<number> {
  const views = (await withClient(socket, (client) => rpc(client, 'nodes'))) as readonly NodeView[];
  return views.filter((view) => view.state === 'online').length;
}

/**
 * Polls until `count` nodes are online on the master and every link says it is connected (a join's own
 * short session would count as online for a moment); the time it took, in ms.
 */
async function untilOnline(socket: string, count: number, since: number, links: readonly WorkerLink[]): Promise<number> {
  for (;;) {
    const online = links.every((link) => link.state.state === 'connected') ? await onlineCount(socket).catch(() => 0) : 0;
    if (online >= count) return performance.now() - since;
    if (performance.now() - since > DEADLINE_MS) throw new Error(`only ${online} of ${count} workers came online within ${DEADLINE_MS / 1000} s`);
    await sleep(100);
  }
}

/** A worker's apps, as its Controller lists them. */
function appsOf(worker: number): FakeController {
  return new FakeController(Array.from({ length: APPS }, (_, i) => info(`w${worker}-app${i}`, online(10_000 + worker * APPS + i))));
}

/**
 * Joins, retrying while the master's per-address HELLO bucket (5/s, burst 10) refuses at accept: every
 * simulated worker comes from 127.0.0.1.
 */
async function joinWithin(token: string, identity: Identity, dir: string): Promise<void> {
  const started = performance.now();
  for (;;) {
    try {
      await joinMaster(token, identity, dir);
      return;
    } catch (error) {
      if (!(error instanceof DialError) || performance.now() - started > DEADLINE_MS) throw error;
      await sleep(200);
    }
  }
}

/** Makes `WORKERS` worker identities, joins each with its own invite, and starts their links. */
async function startWorkers(socket: string, base: string): Promise<readonly WorkerLink[]> {
  const links: WorkerLink[] = [];
  for (let i = 0; i < WORKERS; i++) {
    const stateDir = path.join(base, `w${i}`);
    fs.mkdirSync(stateDir, { recursive: true });
    const identity = loadOrCreateIdentity(stateDir);
    const invite = (await withClient(socket, (client) => rpc(client, 'invite', { name: `w${i}`, labels: { rack: String(i % 5) }, ttlSeconds: 600 }))) as { token: string };
    await joinWithin(invite.token, identity, federationDir(stateDir));
    const controller = appsOf(i);
    const link = new WorkerLink({
      dir: federationDir(stateDir),
      identity,
      limits: DEFAULT_LIMITS,
      source: {
        version: 'bench',
        name: `w${i}`,
        labels: { rack: String(i % 5) },
        list: () => controller.list(),
        serve: (port) => serveControlPort(port, controller, { pid: process.pid, project: `w${i}`, version: 'bench' }),
      },
    });
    link.start();
    links.push(link);
  }
  return links;
}

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? NaN) / 1024;
}

async function main(): Promise<void> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-fleet-'));
  fs.writeFileSync(
    path.join(dir, 'ecosystem.config.mjs'),
    `import { federation } from 'node-unit/federation';\nexport default { apps: [{ name: 'api', script: ${JSON.stringify(path.join(ROOT, 'test', 'fixtures', 'procs', 'forever.js'))} }], plugins: [federation({ listen: '127.0.0.1:${port}', name: 'master' })] };\n`,
  );
  const socket = controlSocketPath(path.join(dir, '.node-unit'));
  let master = await startMaster(dir);
  let links: readonly WorkerLink[] = [];
  try {
    const rssAlone = rssMiB(master.child.pid ?? 0);
    const joinStarted = performance.now();
    links = await startWorkers(socket, path.join(dir, 'workers'));
    const joinedMs = await untilOnline(socket, WORKERS, joinStarted, links);
    const listed = (await withClient(socket, (client) => rpc(client, 'list', { node: 'all' }))) as readonly { readonly node: string; readonly ok: boolean; readonly instances: readonly unknown[]; readonly error?: string }[];
    const instances = listed.reduce((sum, node) => sum + node.instances.length, 0);
    const failed = listed.filter((node) => !node.ok).map((node) => `${node.node}: ${node.error ?? '?'}`);
    if (instances !== WORKERS * APPS + 1) throw new Error(`ls --node all listed ${instances} instances; expected ${WORKERS * APPS + 1}${failed.length > 0 ? `; ${failed.join('; ')}` : ''}`);
    process.stdout.write(`${WORKERS} workers × ${APPS} apps joined and online in ${(joinedMs / 1000).toFixed(1)} s; ls --node all lists ${instances} instances\n`);
    // Let the joins' work settle before the idle window starts.
    await sleep(2000);
    const pid = master.child.pid ?? 0;
    const cpuBefore = cpuSeconds(pid);
    const idleStarted = performance.now();
    await sleep(SECONDS * 1000);
    const cpuPercent = ((cpuSeconds(pid) - cpuBefore) / ((performance.now() - idleStarted) / 1000)) * 100;
    const rss = rssMiB(pid);
    const load = os.loadavg()[0]?.toFixed(2) ?? '?';
    process.stdout.write(`master idle with ${WORKERS} workers: CPU ${cpuPercent.toFixed(2)} % of a core over ${SECONDS} s, RSS ${rss.toFixed(0)} MiB (${rssAlone.toFixed(0)} MiB before any worker joined; load ${load})\n`);
    await stopMaster(master);
    const restarted = performance.now();
    master = await startMaster(dir);
    const backMs = await untilOnline(socket, WORKERS, restarted, links);
    process.stdout.write(`all ${WORKERS} workers back ${(backMs / 1000).toFixed(2)} s after the master restarted (it listened after ${(master.listeningAfterMs / 1000).toFixed(2)} s)\n`);
    const figures: Figure[] = [
      { id: 'fleet.idle.cpu', label: `master CPU idle, ${WORKERS} workers × ${APPS} apps`, unit: '% of a core', nodeUnit: single(cpuPercent), goal: '≤ 2 %', met: cpuPercent <= 2 },
      { id: 'fleet.rss', label: `master RSS, ${WORKERS} workers × ${APPS} apps`, unit: 'MiB', nodeUnit: single(rss), floor: single(rssAlone), floorLabel: 'the master before any worker joined', goal: '≤ 150 MiB', met: rss <= 150 },
      { id: 'fleet.back', label: `all ${WORKERS} workers online after a master restart`, unit: 's', nodeUnit: single(backMs / 1000), floor: single(master.listeningAfterMs / 1000), floorLabel: 'the master listening again', goal: '≤ 10 s', met: backMs <= 10_000 },
    ];
    writeReport(argv, { bench: 'fleet', figures, notes: [`${WORKERS} simulated workers in one process, each a WorkerLink with its own key, invite and sealed session, all from 127.0.0.1; load average ${load} during the idle window.`] });
  } finally {
    for (const link of links) link.stop();
    await stopMaster(master);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
