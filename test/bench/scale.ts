/**
 * Scale: 500 apps. Cold start to all online and `ls` round trip, node-unit vs pm2, floors in the same run
 * (500 bare spawns; `node -e 0`). The apps are `/usr/bin/sleep` (interpreter none): 500 idle Node apps would
 * need ~20 GiB, and the figure is about the supervisor's own cost per app.
 * Run: npm run build && node dist/test/bench/scale.js [--runs 3] [--ls-runs 10] [--apps 500] [--no-pm2] [--json FILE]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { alternate, CLI, pm2OnlinePids, pm2StartAll, startNodeUnit, stopChild, tmp, until, writeConfig } from './common.js';
import { pm2Binary, pm2Session } from './pm2.js';
import { writeReport, type Figure } from './report.js';
import { formatSummary, numberFlag, summarize, type Summary } from './stats.js';

const argv = process.argv.slice(2);
const RUNS = numberFlag(argv, '--runs', 3);
const LS_RUNS = numberFlag(argv, '--ls-runs', 10);
const APPS = numberFlag(argv, '--apps', 500);
const WITH_PM2 = !argv.includes('--no-pm2');
const SLEEP = '/usr/bin/sleep';
const apps = Array.from({ length: APPS }, (_, i) => ({ name: `s${i}`, script: SLEEP, args: ['100000'], interpreter: 'none', kill_timeout: 1000 }));

async function bareColdStart(): Promise<number> {
  const started = performance.now();
  const children: ChildProcess[] = Array.from({ length: APPS }, () => spawn(SLEEP, ['100000'], { stdio: 'ignore' }));
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('spawn', resolve))));
  const elapsed = performance.now() - started;
  await Promise.all(children.map((child) => stopChild(child)));
  return elapsed;
}

async function nodeUnitColdStart(): Promise<number> {
  const dir = tmp();
  writeConfig(dir, apps);
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'up', '--no-tui', '--no-auto-exit'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NO_COLOR: '1' } });
  let online = 0;
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    online += lines.filter((line) => / online \(pid/.test(line)).length;
  });
  try {
    await until(() => online >= APPS, 120_000, `${APPS} apps online under node-unit`, 5);
    return performance.now() - started;
  } finally {
    await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function pm2ColdStart(bin: string): Promise<number> {
  const dir = tmp();
  const config = writeConfig(dir, apps);
  const pm2 = pm2Session(bin);
  try {
    const started = performance.now();
    await pm2StartAll(pm2, config, APPS, 240_000);
    return performance.now() - started;
  } finally {
    pm2.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function wall(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const result = spawnSync(command[0] ?? '', command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`bench: ${command.join(' ')} failed: ${result.stderr.toString()}`);
  return elapsed;
}

async function lsRoundTrips(bin: string | undefined): Promise<{ floor: number[]; nu: number[]; pm2: number[] }> {
  const dir = tmp();
  const config = writeConfig(dir, apps);
  const times = { floor: [] as number[], nu: [] as number[], pm2: [] as number[] };
  const nodeUnit = await startNodeUnit(dir, APPS, 120_000);
  const pm2 = bin ? pm2Session(bin) : undefined;
  try {
    if (pm2) await pm2StartAll(pm2, config, APPS, 240_000);
    if (pm2 && pm2OnlinePids(pm2).length !== APPS) throw new Error('bench: pm2 lost apps');
    for (let round = 0; round < LS_RUNS; round++) {
      await alternate(round, [
        async () => void times.floor.push(wall([process.execPath, '-e', '0'], dir)),
        async () => void times.nu.push(wall([process.execPath, CLI, 'ls'], dir)),
        async () => void (pm2 && bin && times.pm2.push(wall([bin, 'jlist'], dir, { ...process.env, PM2_HOME: pm2.home }))),
      ]);
    }
  } finally {
    await nodeUnit.stop();
    pm2?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

async function main(): Promise<void> {
  const bin = WITH_PM2 ? pm2Binary() : undefined;
  const cold = { bare: [] as number[], nu: [] as number[], pm2: [] as number[] };
  for (let round = 0; round < RUNS; round++) {
    await alternate(round, [
      async () => void cold.bare.push(await bareColdStart()),
      async () => void cold.nu.push(await nodeUnitColdStart()),
      async () => void (bin && cold.pm2.push(await pm2ColdStart(bin))),
    ]);
  }
  const ls = await lsRoundTrips(bin);
  const figure = (id: string, label: string, values: { nu: number[]; pm2: number[] }, floor: Summary, floorLabel: string, factor: number): Figure => {
    const nodeUnit = summarize(values.nu);
    return { id, label, unit: 'ms', nodeUnit, ...(bin ? { pm2: summarize(values.pm2) } : {}), floor, floorLabel, goal: `≤ ${factor}× floor`, met: nodeUnit.median <= factor * floor.median };
  };
  const figures = [
    figure(`cold.${APPS}`, `cold start: ${APPS} apps online (sleep)`, cold, summarize(cold.bare), `bare spawn of ${APPS}`, 1.2),
    figure(`ls.${APPS}`, `ls round trip (${APPS} apps) vs pm2 jlist`, ls, summarize(ls.floor), 'node -e 0', 1.3),
  ];
  for (const f of figures) console.log(`${f.label}: node-unit ${formatSummary(f.nodeUnit)}, pm2 ${f.pm2 ? formatSummary(f.pm2) : '-'}, floor ${f.floor ? formatSummary(f.floor) : '-'}`);
  writeReport(argv, { bench: 'scale', figures, notes: [`scale: the ${APPS} apps are ${SLEEP} (interpreter none), so the figures show the supervisor's own cost per app`] });
}

await main();
