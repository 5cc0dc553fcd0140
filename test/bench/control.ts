/**
 * Control socket benchmark, node-unit and pm2 side by side with the same 50 idle apps running:
 * wall time of one CLI call (`ls` vs `pm2 jlist`, `restart <app>` vs `pm2 restart <app>`), floor `node -e 0`.
 * Commands alternate within each round so drift on a busy machine hits all of them alike. Before each timed
 * command the bench waits (up to 3 s) until both supervisors and their apps have stopped using CPU: a restart's
 * relaunched app boots for 100–250 ms of CPU after the command returned, which would otherwise land on the next
 * command timed, often the other tool's (--no-settle times them back to back).
 * Run: npm run build && node dist/test/bench/control.js [--runs 15] [--apps 50] [--no-pm2] [--no-settle] [--json FILE]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectControl } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import { childMap, walkChildren } from '../../src/supervisor/proctable.js';
import { listProcesses } from '../../src/util/proc.js';
import { pm2Binary, pm2Session, pm2Version, type Pm2 } from './pm2.js';
import { writeReport, type Figure } from './report.js';
import { formatSummary, ratio, summarize, type Summary, numberFlag } from './stats.js';

const ROOT = process.cwd();
const CLI = path.join(ROOT, 'bin', 'node-unit.js');
const FOREVER = path.join(ROOT, 'test', 'fixtures', 'procs', 'forever.js');
const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => numberFlag(argv, name, fallback);
const RUNS = flag('--runs', 15);
const APPS = flag('--apps', 50);
const WITH_PM2 = !argv.includes('--no-pm2');
const SETTLE = !argv.includes('--no-settle');
const SETTLE_LIMIT_MS = 3000;

interface Timed {
  readonly label: string;
  readonly command: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

async function until(check: () => Promise<boolean> | boolean, limitMs: number, what: string): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function wall(timed: Timed, cwd: string): number {
  const started = performance.now();
  const result = spawnSync(timed.command[0] ?? '', timed.command.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: timed.env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`bench: ${timed.label} failed: ${result.stderr.toString()}`);
  return elapsed;
}

/** CPU clock ticks used so far by the processes under `roots` (supervisors and their apps). */
function treeCpuTicks(roots: readonly number[]): number {
  const table = listProcesses();
  const tree = new Set(walkChildren(roots, childMap(table)));
  return table.reduce((sum, stat) => (tree.has(stat.pid) ? sum + stat.cpuTicks : sum), 0);
}

/** Waits until the trees used no CPU tick over two polls in a row; false when the limit came first. */
async function settle(roots: readonly number[]): Promise<boolean> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  let last = treeCpuTicks(roots);
  for (let quietPolls = 0; quietPolls < 2; ) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 30));
    const now = treeCpuTicks(roots);
    quietPolls = now === last ? quietPolls + 1 : 0;
    last = now;
  }
  return true;
}

async function startNodeUnit(dir: string): Promise<{ readonly pid: number; readonly stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'up'], { cwd: dir, stdio: 'ignore' });
  const socketPath = controlSocketPath(path.join(dir, '.node-unit'));
  await until(async () => {
    const client = await connectControl(socketPath).catch(() => undefined);
    if (!client) return false;
    const online = (await client.list()).filter((info) => info.state.status === 'online').length;
    await client.close();
    return online === APPS;
  }, 60_000, `${APPS} apps online under node-unit`);
  const stop = async (): Promise<void> => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { pid: child.pid ?? 0, stop };
}

async function startPm2(dir: string): Promise<Pm2 | undefined> {
  const bin = WITH_PM2 ? pm2Binary() : undefined;
  if (!bin) return undefined;
  process.stderr.write(`pm2 ${pm2Version(bin)}\n`);
  const pm2 = pm2Session(bin);
  pm2.run(['start', path.join(dir, 'ecosystem.config.cjs')]);
  await until(() => {
    const list = JSON.parse(pm2.run(['jlist'])) as { pm2_env?: { status?: string } }[];
    return list.filter((app) => app.pm2_env?.status === 'online').length === APPS;
  }, 60_000, `${APPS} apps online under pm2`);
  return pm2;
}

function row(label: string, summary: Summary, floor: Summary | undefined): string {
  return `${label.padEnd(28)} ${formatSummary(summary).padEnd(26)} ${floor ? ratio(summary, floor) : ''}`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-control-'));
  const apps = Array.from({ length: APPS }, (_, i) => ({ name: `app${i}`, script: FOREVER, kill_timeout: 1000 }));
  fs.writeFileSync(path.join(dir, 'ecosystem.config.cjs'), `module.exports = ${JSON.stringify({ apps })};\n`);
  const nodeUnit = await startNodeUnit(dir);
  const pm2 = await startPm2(dir);
  const supervisors = [nodeUnit.pid, ...(pm2 ? [Number(fs.readFileSync(path.join(pm2.home, 'pm2.pid'), 'utf8'))] : [])];
  let unsettled = 0;
  const target = `app${Math.floor(APPS / 2)}`;
  const pm2Env = pm2 ? { ...process.env, PM2_HOME: pm2.home } : undefined;
  const pm2Bin = pm2Binary() ?? 'pm2';
  const commands: readonly Timed[] = [
    { label: 'node -e 0', command: [process.execPath, '-e', '0'] },
    { label: 'node-unit ls', command: [process.execPath, CLI, 'ls'] },
    ...(pm2 ? [{ label: 'pm2 jlist', command: [pm2Bin, 'jlist'], env: pm2Env }] : []),
    { label: `node-unit restart ${target}`, command: [process.execPath, CLI, 'restart', target] },
    ...(pm2 ? [{ label: `pm2 restart ${target}`, command: [pm2Bin, 'restart', target], env: pm2Env }] : []),
  ];
  const times = new Map<string, number[]>(commands.map((c) => [c.label, []]));
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const timed of run % 2 === 0 ? commands : [...commands].reverse()) {
        if (SETTLE && !(await settle(supervisors))) unsettled++;
        times.get(timed.label)?.push(wall(timed, dir));
      }
    }
  } finally {
    await nodeUnit.stop();
    pm2?.kill();
  }
  const summary = new Map([...times].map(([label, values]) => [label, summarize(values)]));
  const floor = summary.get('node -e 0');
  console.log(`control socket: ${APPS} idle apps, ${RUNS} runs, median (min–max), ratio to node -e 0; node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}; ${SETTLE ? `settled before each command (${unsettled} waits hit the ${SETTLE_LIMIT_MS} ms limit)` : 'back to back'}`);
  for (const [label, s] of summary) console.log(row(label, s, floor));
  const ls = summary.get('node-unit ls');
  const jlist = summary.get('pm2 jlist');
  const restart = summary.get(`node-unit restart ${target}`);
  const pm2Restart = summary.get(`pm2 restart ${target}`);
  if (ls && jlist) console.log(`node-unit ls vs pm2 jlist: ${ratio(ls, jlist)}`);
  if (restart && pm2Restart) console.log(`node-unit restart vs pm2 restart: ${ratio(restart, pm2Restart)}`);
  if (ls && floor) console.log(`goal ls ≤ 1.3× node -e 0: ${ls.median / floor.median <= 1.3 ? 'met' : 'not met'} (${ratio(ls, floor)})`);
  if (restart) console.log(`goal restart ≤ 150 ms: ${restart.median <= 150 ? 'met' : 'not met'} (${restart.median.toFixed(0)} ms)`);
  const figures: Figure[] = [];
  if (ls && floor) figures.push({ id: `ls.${APPS}`, label: `ls round trip (${APPS} apps) vs pm2 jlist`, unit: 'ms', nodeUnit: ls, ...(jlist ? { pm2: jlist } : {}), floor, floorLabel: 'node -e 0', goal: '≤ 1.3× floor', met: ls.median <= 1.3 * floor.median });
  if (restart && floor) figures.push({ id: 'restart.one', label: `restart one app (${APPS} running), CLI wall time`, unit: 'ms', nodeUnit: restart, ...(pm2Restart ? { pm2: pm2Restart } : {}), floor, floorLabel: 'node -e 0', goal: '≤ 150 ms', met: restart.median <= 150 });
  const notes = [
    `control: ${SETTLE ? `each command timed once both supervisors and their apps were idle (${unsettled} waits hit the ${SETTLE_LIMIT_MS} ms limit)` : 'commands timed back to back'}`,
    ...(process.env.NODE_EXTRA_CA_CERTS ? [`control: NODE_EXTRA_CA_CERTS is set here, so every node start (node -e 0, the CLI, a restarted app) first loads ${process.env.NODE_EXTRA_CA_CERTS}`] : []),
  ];
  writeReport(argv, { bench: 'control', figures, notes });
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
