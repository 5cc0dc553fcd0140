/**
 * Lines kept when an app writes 100,000 lines and calls process.exit() at once: the lines in its log file
 * once the supervisor has seen it exit, node-unit vs pm2, runs alternated, for two apps: one that writes
 * blocking (fs.writeSync: every line is in the pipe before it exits, so a loss is the supervisor's) and one
 * that uses console.log, as apps do (Node queues writes to a full pipe and process.exit() drops the queue).
 * Floor: the same app piped into `cat > file`.
 * Run: npm run build && node dist/test/bench/lines-lost.js [--runs 10] [--lines 100000] [--no-pm2] [--json FILE]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { alternate, appExited, CLI, fixture, pm2List, sleep, stopChild, tmp, until, writeConfig } from './common.js';
import { pm2Binary, pm2Session, type Pm2 } from './pm2.js';
import { writeReport, type Figure } from './report.js';
import { formatSummary, numberFlag, summarize } from './stats.js';

const argv = process.argv.slice(2);
const RUNS = numberFlag(argv, '--runs', 10);
const LINES = numberFlag(argv, '--lines', 100_000);
const WITH_PM2 = !argv.includes('--no-pm2');
/** The app and its arguments: blocking writes, or console.log as apps write. */
const APPS = {
  blocking: { script: fixture('burst-exit.js'), args: [String(LINES)] },
  console: { script: fixture('print-exit.js'), args: [String(LINES), 'console'] },
} as const;
type AppKind = keyof typeof APPS;

function countLines(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const data = fs.readFileSync(file);
  let count = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) count++;
  return count;
}

function bareRun(kind: AppKind): number {
  const dir = tmp();
  const out = path.join(dir, 'out.log');
  const { script, args } = APPS[kind];
  spawnSync('sh', ['-c', `"${process.execPath}" "${script}" ${args.join(' ')} | cat > "${out}"`], { stdio: 'ignore', timeout: 60_000 });
  const kept = countLines(out);
  fs.rmSync(dir, { recursive: true, force: true });
  return kept;
}

async function nodeUnitRun(kind: AppKind): Promise<number> {
  const dir = tmp();
  writeConfig(dir, [{ name: 'flood', ...APPS[kind], autorestart: false }]);
  const child = spawn(process.execPath, [CLI, 'up', '--no-tui', '--no-auto-exit'], { cwd: dir, stdio: 'ignore' });
  try {
    await until(async () => child.exitCode !== null || (await appExited(dir, 'flood')), 60_000, 'the flood app to exit under node-unit', 20);
  } finally {
    await stopChild(child);
  }
  const kept = countLines(path.join(dir, '.node-unit', 'logs', 'flood-out.log'));
  fs.rmSync(dir, { recursive: true, force: true });
  return kept;
}

/** pm2 may drop lines, so no line count can mark the end: wait until it reports the app stopped and the file is still. */
async function pm2Run(pm2: Pm2, kind: AppKind): Promise<number> {
  const dir = tmp();
  const out = path.join(dir, 'flood-out.log');
  const config = writeConfig(dir, [{ name: 'flood', ...APPS[kind], autorestart: false, out_file: out, error_file: path.join(dir, 'flood-err.log') }]);
  pm2.run(['start', config]);
  await until(() => pm2List(pm2).some((p) => p.pm2_env?.status === 'stopped'), 60_000, 'the flood app to stop under pm2', 100);
  let size = -1;
  await until(async () => {
    const now = fs.existsSync(out) ? fs.statSync(out).size : 0;
    const still = now === size;
    size = now;
    if (!still) await sleep(500);
    return still;
  }, 20_000, 'the pm2 log file to stop growing', 0);
  const kept = countLines(out);
  pm2.run(['delete', 'all']);
  fs.rmSync(dir, { recursive: true, force: true });
  return kept;
}

interface Kept {
  readonly bare: number[];
  readonly nu: number[];
  readonly pm2: number[];
}

async function main(): Promise<void> {
  const bin = WITH_PM2 ? pm2Binary() : undefined;
  const pm2 = bin ? pm2Session(bin) : undefined;
  const kept: Record<AppKind, Kept> = { blocking: { bare: [], nu: [], pm2: [] }, console: { bare: [], nu: [], pm2: [] } };
  try {
    if (pm2) pm2.run(['ping']);
    for (let round = 0; round < RUNS; round++) {
      for (const kind of Object.keys(APPS) as AppKind[]) {
        await alternate(round, [
          async () => void kept[kind].bare.push(bareRun(kind)),
          async () => void kept[kind].nu.push(await nodeUnitRun(kind)),
          async () => void (pm2 && kept[kind].pm2.push(await pm2Run(pm2, kind))),
        ]);
      }
    }
  } finally {
    pm2?.kill();
  }
  const figures = (Object.keys(APPS) as AppKind[]).map((kind): Figure => {
    const { bare, nu, pm2: byPm2 } = kept[kind];
    const how = kind === 'blocking' ? 'blocking writes' : 'console.log';
    console.log(`lines kept of ${LINES.toLocaleString('en')} written with ${how} right before process.exit(), ${RUNS} runs, median (min–max)`);
    console.log(`  node app.js | cat > f  ${formatSummary(summarize(bare), 'lines')}   per run: ${bare.join(' ')}`);
    console.log(`  node-unit              ${formatSummary(summarize(nu), 'lines')}   per run: ${nu.join(' ')}`);
    if (pm2) console.log(`  pm2                    ${formatSummary(summarize(byPm2), 'lines')}   per run: ${byPm2.join(' ')}`);
    const nodeUnit = summarize(nu);
    return {
      id: `kept.${kind}`,
      label: `lines kept when the app calls process.exit() right after writing (${how}, ${LINES.toLocaleString('en')} lines, ${RUNS} runs)`,
      unit: 'lines',
      nodeUnit,
      ...(pm2 ? { pm2: summarize(byPm2) } : {}),
      floor: summarize(bare),
      floorLabel: 'node app.js | cat > f',
      goal: `all ${LINES.toLocaleString('en')} in every run`,
      met: nodeUnit.min === LINES,
      higherIsBetter: true,
    };
  });
  writeReport(argv, { bench: 'lines-lost', figures });
}

await main();
