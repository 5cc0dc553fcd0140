/**
 * Process start → user code: the ms from an app's process start to its first line of user code
 * (its own performance.now()), and the CPU ms it spent until then (steadier on a busy machine): what a
 * supervisor's wrapper adds before the app runs.
 * The app exits soon after and is restarted, so one run yields many samples. Bare: a respawn loop.
 * The same app also runs under node-unit with `blocking_stdio: false`, in the same rounds, so the cost of
 * the blocking-stdio preload is its own figure (goal: within 5 ms of the app without it).
 * Run: npm run build && node dist/test/bench/boot.js [--runs 2] [--starts 15] [--no-pm2] [--json FILE]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { alternate, CLI, fixture, stopChild, tmp, until, writeConfig } from './common.js';
import { pm2Binary, pm2Session } from './pm2.js';
import { writeReport, type Figure } from './report.js';
import { formatSummary, numberFlag, summarize } from './stats.js';

const argv = process.argv.slice(2);
const RUNS = numberFlag(argv, '--runs', 2);
const STARTS = numberFlag(argv, '--starts', 15);
const WITH_PM2 = !argv.includes('--no-pm2');
const BOOT = fixture('boot-time.js');

interface Boot {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function boots(log: string): Boot[] {
  if (!fs.existsSync(log)) return [];
  const lines = fs.readFileSync(log, 'utf8').split('\n').filter((line) => line.startsWith('boot '));
  return lines.map((line) => {
    const [, wall, cpu] = line.split(' ');
    return { wallMs: Number(wall), cpuMs: Number(cpu) };
  });
}

const app = (log: string, blockingStdio = true): Record<string, unknown> => ({ name: 'boot', script: BOOT, args: [log, '20'], restart_delay: 0, max_restarts: 10_000, min_uptime: 0, autorestart: true, ...(blockingStdio ? {} : { blocking_stdio: false }) });

async function bareRun(): Promise<Boot[]> {
  const dir = tmp();
  const log = path.join(dir, 'boots');
  for (let i = 0; i < STARTS; i++) {
    const child = spawn(process.execPath, [BOOT, log, '20'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
  }
  const values = boots(log);
  fs.rmSync(dir, { recursive: true, force: true });
  return values;
}

async function nodeUnitRun(blockingStdio: boolean): Promise<Boot[]> {
  const dir = tmp();
  const log = path.join(dir, 'boots');
  writeConfig(dir, [app(log, blockingStdio)]);
  const child = spawn(process.execPath, [CLI, 'up', '--no-tui', '--no-auto-exit'], { cwd: dir, stdio: 'ignore' });
  try {
    await until(() => boots(log).length >= STARTS, 60_000, `${STARTS} starts under node-unit`);
  } finally {
    await stopChild(child);
  }
  const values = boots(log).slice(0, STARTS);
  fs.rmSync(dir, { recursive: true, force: true });
  return values;
}

async function pm2Run(bin: string): Promise<Boot[]> {
  const dir = tmp();
  const log = path.join(dir, 'boots');
  const pm2 = pm2Session(bin);
  try {
    pm2.run(['start', writeConfig(dir, [app(log)])]);
    await until(() => boots(log).length >= STARTS, 60_000, `${STARTS} starts under pm2`);
  } finally {
    pm2.kill();
  }
  const values = boots(log).slice(0, STARTS);
  fs.rmSync(dir, { recursive: true, force: true });
  return values;
}

async function main(): Promise<void> {
  const bin = WITH_PM2 ? pm2Binary() : undefined;
  const values = { bare: [] as Boot[], nu: [] as Boot[], plain: [] as Boot[], pm2: [] as Boot[] };
  for (let round = 0; round < RUNS; round++) {
    await alternate(round, [
      async () => void values.bare.push(...(await bareRun())),
      async () => void values.nu.push(...(await nodeUnitRun(true))),
      async () => void values.plain.push(...(await nodeUnitRun(false))),
      async () => void (bin && values.pm2.push(...(await pm2Run(bin)))),
    ]);
  }
  console.log(`process start → first line of user code, ${values.bare.length} / ${values.nu.length} / ${values.pm2.length} starts, median (min–max)`);
  const figure = (key: keyof Boot, id: string, label: string): Figure => {
    const floor = summarize(values.bare.map((b) => b[key]));
    const nodeUnit = summarize(values.nu.map((b) => b[key]));
    const pm2 = bin ? summarize(values.pm2.map((b) => b[key])) : undefined;
    console.log(`  ${label}: bare ${formatSummary(floor)}, node-unit ${formatSummary(nodeUnit)}, pm2 ${pm2 ? formatSummary(pm2) : '-'}`);
    return { id, label, unit: 'ms', nodeUnit, ...(pm2 ? { pm2 } : {}), floor, floorLabel: 'the same app spawned bare', goal: '+0 (≤ floor + 5 ms)', met: nodeUnit.median <= floor.median + 5 };
  };
  const preload = (key: keyof Boot, id: string, label: string): Figure => {
    const floor = summarize(values.plain.map((b) => b[key]));
    const nodeUnit = summarize(values.nu.map((b) => b[key]));
    console.log(`  ${label}: without ${formatSummary(floor)}, with ${formatSummary(nodeUnit)}`);
    return { id, label, unit: 'ms', nodeUnit, floor, floorLabel: 'under node-unit with blocking_stdio: false', goal: '≤ floor + 5 ms', met: nodeUnit.median <= floor.median + 5 };
  };
  writeReport(argv, {
    bench: 'boot',
    figures: [
      figure('wallMs', 'boot.wall', 'process start → user code, wall'),
      figure('cpuMs', 'boot.cpu', 'process start → user code, CPU of the app'),
      preload('wallMs', 'boot.preload.wall', 'the blocking-stdio preload, wall'),
      preload('cpuMs', 'boot.preload.cpu', 'the blocking-stdio preload, CPU of the app'),
    ],
  });
}

await main();
