/**
 * Restart all: the CLI call until every app is online again with a new pid, node-unit vs pm2 with the same
 * idle apps running. Floor: the same apps as bare children, stopped (SIGTERM) and spawned again until each
 * printed its first line.
 * Run: npm run build && node dist/test/bench/restart-all.js [--runs 5] [--apps 50] [--no-pm2] [--json FILE]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { alternate, CLI, fixture, pm2OnlinePids, pm2StartAll, startNodeUnit, stopChild, tmp, until, writeConfig } from './common.js';
import { pm2Binary, pm2Session, type Pm2 } from './pm2.js';
import { writeReport } from './report.js';
import { formatSummary, numberFlag, summarize } from './stats.js';

const argv = process.argv.slice(2);
const RUNS = numberFlag(argv, '--runs', 5);
const APPS = numberFlag(argv, '--apps', 50);
const WITH_PM2 = !argv.includes('--no-pm2');
const FOREVER = fixture('forever.js');

function spawnBare(): Promise<ChildProcess[]> {
  const children = Array.from({ length: APPS }, () => spawn(process.execPath, [FOREVER], { stdio: ['ignore', 'pipe', 'ignore'] }));
  return Promise.all(children.map((child) => new Promise<ChildProcess>((resolve) => child.stdout?.once('data', () => resolve(child)))));
}

async function bareRestartAll(children: ChildProcess[]): Promise<{ ms: number; children: ChildProcess[] }> {
  const started = performance.now();
  await Promise.all(children.map((child) => stopChild(child)));
  const fresh = await spawnBare();
  return { ms: performance.now() - started, children: fresh };
}

function changedAndOnline(before: readonly number[], after: readonly number[]): boolean {
  return after.length === APPS && after.every((pid) => !before.includes(pid));
}

function cli(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command[0] ?? '', command.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`bench: ${command.join(' ')} failed: ${result.stderr.toString()}`);
}

async function timedRestart(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv, pids: () => Promise<number[]> | number[], what: string): Promise<number> {
  const before = await pids();
  const started = performance.now();
  cli(command, cwd, env);
  await until(async () => changedAndOnline(before, await pids()), 60_000, what, 10);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const dir = tmp();
  const config = writeConfig(dir, Array.from({ length: APPS }, (_, i) => ({ name: `app${i}`, script: FOREVER, kill_timeout: 1000 })));
  const bin = WITH_PM2 ? pm2Binary() : undefined;
  const times = { bare: [] as number[], nu: [] as number[], pm2: [] as number[] };
  let bare = await spawnBare();
  const nodeUnit = await startNodeUnit(dir, APPS);
  let pm2: Pm2 | undefined;
  try {
    if (bin) {
      pm2 = pm2Session(bin);
      await pm2StartAll(pm2, config, APPS);
    }
    const session = pm2;
    for (let round = 0; round < RUNS; round++) {
      await alternate(round, [
        async () => {
          const r = await bareRestartAll(bare);
          bare = r.children;
          times.bare.push(r.ms);
        },
        async () => void times.nu.push(await timedRestart([process.execPath, CLI, 'restart', 'all'], dir, process.env, nodeUnit.appPids, 'node-unit restart all')),
        async () => {
          if (session && bin) times.pm2.push(await timedRestart([bin, 'restart', 'all'], dir, { ...process.env, PM2_HOME: session.home }, () => pm2OnlinePids(session), 'pm2 restart all'));
        },
      ]);
    }
  } finally {
    await nodeUnit.stop();
    pm2?.kill();
    await Promise.all(bare.map((child) => stopChild(child)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const floor = summarize(times.bare);
  const nu = summarize(times.nu);
  const pm2Summary = bin ? summarize(times.pm2) : undefined;
  console.log(`restart all, ${APPS} idle apps, ${RUNS} runs, median (min–max)`);
  console.log(`  bare stop + spawn      ${formatSummary(floor)}`);
  console.log(`  node-unit restart all  ${formatSummary(nu)}  ${(nu.median / floor.median).toFixed(2)}× bare`);
  if (pm2Summary) console.log(`  pm2 restart all        ${formatSummary(pm2Summary)}  ${(pm2Summary.median / floor.median).toFixed(2)}× bare`);
  writeReport(argv, {
    bench: 'restart-all',
    figures: [{ id: `restart.all.${APPS}`, label: `restart all (${APPS} apps) until all online again`, unit: 'ms', nodeUnit: nu, ...(pm2Summary ? { pm2: pm2Summary } : {}), floor, floorLabel: `bare stop + respawn of ${APPS}`, goal: '≤ 1.2× floor', met: nu.median <= 1.2 * floor.median }],
  });
}

await main();
