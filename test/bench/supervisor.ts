/**
 * Supervisor benchmarks, node-unit and pm2 side by side on the same fixtures in the same run:
 *   cold start of 50 idle apps, and crash → restart latency with no delay. Floors: bare spawns.
 * Run: npm run build && node dist/test/bench/supervisor.js [--runs 5] [--apps 50] [--no-pm2] [--json FILE]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatSummary, ratio, summarize, type Summary, numberFlag } from './stats.js';
import { pm2Binary, pm2Session, pm2Version } from './pm2.js';
import { writeReport, type Figure } from './report.js';

const ROOT = process.cwd();
const CLI = path.join(ROOT, 'bin', 'node-unit.js');
const FOREVER = path.join(ROOT, 'test', 'fixtures', 'procs', 'forever.js');
const CRASH = path.join(ROOT, 'test', 'fixtures', 'procs', 'crash-timer.js');
const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => numberFlag(argv, name, fallback);
const RUNS = flag('--runs', 5);
const APPS = flag('--apps', 50);
const RESTARTS = flag('--restarts', 20);
const WITH_PM2 = !argv.includes('--no-pm2');

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-'));
const now = (): number => performance.now();
const until = async (check: () => boolean, limitMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

function writeConfig(dir: string, apps: readonly Record<string, unknown>[]): string {
  const file = path.join(dir, 'ecosystem.config.cjs');
  fs.writeFileSync(file, `module.exports = ${JSON.stringify({ apps })};\n`);
  return file;
}

async function stopUp(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function bareColdStart(): Promise<number> {
  const started = now();
  const children: ChildProcess[] = [];
  let lines = 0;
  for (let i = 0; i < APPS; i++) {
    const child = spawn(process.execPath, [FOREVER], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    child.stdout?.once('data', () => lines++);
    children.push(child);
  }
  await until(() => lines === APPS, 30_000, 'bare first lines');
  const elapsed = now() - started;
  await Promise.all(children.map((child) => new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  })));
  return elapsed;
}

async function nodeUnitColdStart(): Promise<{ online: number; lines: number }> {
  const dir = tmp();
  writeConfig(dir, Array.from({ length: APPS }, (_, i) => ({ name: `app${i}`, script: FOREVER })));
  const started = now();
  const child = spawn(process.execPath, [CLI, 'up', '--no-tui', '--no-auto-exit'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  let online = 0;
  let lines = 0;
  let onlineAt = 0;
  let linesAt = 0;
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      if (/ online \(pid/.test(line) && ++online === APPS) onlineAt = now();
      if (/\| forever started/.test(line) && ++lines === APPS) linesAt = now();
    }
  });
  await until(() => onlineAt > 0 && linesAt > 0, 60_000, 'node-unit online');
  await stopUp(child);
  fs.rmSync(dir, { recursive: true, force: true });
  return { online: onlineAt - started, lines: linesAt - started };
}

async function pm2ColdStart(bin: string): Promise<number> {
  const dir = tmp();
  const file = writeConfig(dir, Array.from({ length: APPS }, (_, i) => ({ name: `app${i}`, script: FOREVER })));
  const pm2 = pm2Session(bin);
  const started = now();
  pm2.run(['start', file]);
  await until(() => {
    const list = JSON.parse(pm2.run(['jlist'])) as { pm2_env?: { status?: string } }[];
    return list.filter((p) => p.pm2_env?.status === 'online').length === APPS;
  }, 60_000, 'pm2 online');
  const elapsed = now() - started;
  pm2.kill();
  fs.rmSync(dir, { recursive: true, force: true });
  return elapsed;
}

function gaps(log: string): number[] {
  const events = fs.readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split(' ') as [string, string]);
  const out: number[] = [];
  for (let i = 1; i < events.length; i++) {
    const [kind, at] = events[i] as [string, string];
    const [prevKind, prevAt] = events[i - 1] as [string, string];
    if (kind === 'start' && prevKind === 'exit') out.push(Number(at) - Number(prevAt));
  }
  return out;
}

const starts = (log: string): number => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('start')).length : 0);

async function bareRespawn(): Promise<number[]> {
  const log = path.join(tmp(), 'events');
  await new Promise<void>((resolve) => {
    const loop = (): void => {
      if (starts(log) > RESTARTS) return resolve();
      spawn(process.execPath, [CRASH, log, '50'], { stdio: 'ignore', detached: true }).once('exit', loop);
    };
    loop();
  });
  return gaps(log);
}

async function nodeUnitRespawn(): Promise<number[]> {
  const dir = tmp();
  const log = path.join(dir, 'events');
  writeConfig(dir, [{ name: 'crash', script: CRASH, args: [log, '50'], restart_delay: 0, max_restarts: 10_000, min_uptime: 0 }]);
  const child = spawn(process.execPath, [CLI, 'up', '--no-tui', '--no-auto-exit'], { cwd: dir, stdio: 'ignore' });
  await until(() => starts(log) > RESTARTS, 60_000, 'node-unit restarts');
  await stopUp(child);
  return gaps(log);
}

async function pm2Respawn(bin: string): Promise<number[]> {
  const dir = tmp();
  const log = path.join(dir, 'events');
  const file = writeConfig(dir, [{ name: 'crash', script: CRASH, args: [log, '50'], restart_delay: 0, max_restarts: 10_000, min_uptime: 0, autorestart: true }]);
  const pm2 = pm2Session(bin);
  pm2.run(['start', file]);
  await until(() => starts(log) > RESTARTS, 60_000, 'pm2 restarts');
  pm2.kill();
  return gaps(log);
}

async function main(): Promise<void> {
  const bin = WITH_PM2 ? pm2Binary() : undefined;
  const results = { bare: [] as number[], nuOnline: [] as number[], nuLines: [] as number[], pm2: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order each run to cancel drift.
    const order = run % 2 === 0 ? ['bare', 'nu', 'pm2'] : ['pm2', 'nu', 'bare'];
    for (const who of order) {
      if (who === 'bare') results.bare.push(await bareColdStart());
      if (who === 'nu') {
        const r = await nodeUnitColdStart();
        results.nuOnline.push(r.online);
        results.nuLines.push(r.lines);
      }
      if (who === 'pm2' && bin) results.pm2.push(await pm2ColdStart(bin));
    }
  }
  const respawn = { bare: [] as number[], nu: [] as number[], pm2: [] as number[] };
  for (let run = 0; run < Math.max(1, Math.ceil(RUNS / 2)); run++) {
    const steps = [
      async () => void respawn.bare.push(...(await bareRespawn())),
      async () => void respawn.nu.push(...(await nodeUnitRespawn())),
      async () => void (bin && respawn.pm2.push(...(await pm2Respawn(bin)))),
    ];
    for (const step of run % 2 === 0 ? steps : [...steps].reverse()) await step();
  }
  const bare = summarize(results.bare);
  const rows: [string, Summary | undefined, string][] = [
    [`bare spawn of ${APPS}, all printed a line`, bare, '1.00×'],
    [`node-unit up → ${APPS} online`, summarize(results.nuOnline), ratio(summarize(results.nuOnline), bare)],
    [`node-unit up → ${APPS} printed a line`, summarize(results.nuLines), ratio(summarize(results.nuLines), bare)],
    [`pm2 start → ${APPS} online (jlist)`, bin ? summarize(results.pm2) : undefined, bin ? ratio(summarize(results.pm2), bare) : 'n/a'],
  ];
  const respawnBare = summarize(respawn.bare);
  const respawnRows: [string, Summary | undefined, string][] = [
    ['bare respawn loop: exit → next start', respawnBare, '1.00×'],
    ['node-unit, restart_delay 0: exit → next start', summarize(respawn.nu), ratio(summarize(respawn.nu), respawnBare)],
    ['pm2, restart_delay 0: exit → next start', bin ? summarize(respawn.pm2) : undefined, bin ? ratio(summarize(respawn.pm2), respawnBare) : 'n/a'],
  ];
  const print = (title: string, table: [string, Summary | undefined, string][]): void => {
    process.stdout.write(`\n${title}\n`);
    for (const [name, summary, r] of table) process.stdout.write(`  ${name.padEnd(48)} ${(summary ? formatSummary(summary) : 'n/a').padEnd(26)} ${r}\n`);
  };
  process.stdout.write(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs, pm2 ${bin ? pm2Version(bin) : 'not measured'}; median (min–max)\n`);
  print(`Cold start, ${APPS} idle apps`, rows);
  print(`Crash → restart (${respawn.bare.length} / ${respawn.nu.length} / ${respawn.pm2.length} restarts)`, respawnRows);
  writeReport(argv, { bench: 'supervisor', figures: figures(results, respawn, bin !== undefined) });
}

function figure(id: string, label: string, nu: readonly number[], pm2: readonly number[] | undefined, floor: readonly number[], floorLabel: string): Figure {
  const nodeUnit = summarize(nu);
  const bare = summarize(floor);
  return { id, label, unit: 'ms', nodeUnit, ...(pm2 ? { pm2: summarize(pm2) } : {}), floor: bare, floorLabel, goal: '≤ 1.2× floor', met: nodeUnit.median <= 1.2 * bare.median };
}

function figures(cold: { bare: number[]; nuOnline: number[]; pm2: number[] }, respawn: { bare: number[]; nu: number[]; pm2: number[] }, withPm2: boolean): Figure[] {
  return [
    figure(`cold.${APPS}`, `cold start: ${APPS} apps online`, cold.nuOnline, withPm2 ? cold.pm2 : undefined, cold.bare, `bare spawn of ${APPS}, first line each`),
    figure('crash.restart', 'crash → next start, restart_delay 0', respawn.nu, withPm2 ? respawn.pm2 : undefined, respawn.bare, 'bare respawn loop'),
  ];
}

await main();
