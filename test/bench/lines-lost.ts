/**
 * Lines lost when an app writes 100,000 lines and calls process.exit() at once: the lines missing from its
 * log file once the supervisor has seen it exit, node-unit vs pm2, runs alternated. Floor: the same app
 * piped into `cat > file` (the app writes blocking, so every line is in the pipe before it exits).
 * Run: npm run build && node dist/test/bench/lines-lost.js [--runs 10] [--lines 100000] [--no-pm2] [--json FILE]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { connectControl } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import { alternate, CLI, fixture, pm2List, sleep, stopChild, tmp, until, writeConfig } from './common.js';
import { pm2Binary, pm2Session, type Pm2 } from './pm2.js';
import { writeReport } from './report.js';
import { formatSummary, numberFlag, summarize } from './stats.js';

const argv = process.argv.slice(2);
const RUNS = numberFlag(argv, '--runs', 10);
const LINES = numberFlag(argv, '--lines', 100_000);
const WITH_PM2 = !argv.includes('--no-pm2');
const BURST = fixture('burst-exit.js');

function countLines(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const data = fs.readFileSync(file);
  let count = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) count++;
  return count;
}

async function floodExited(dir: string): Promise<boolean> {
  const client = await connectControl(controlSocketPath(path.join(dir, '.node-unit'))).catch(() => undefined);
  if (!client) return false;
  const list = await client.list();
  await client.close();
  return list.some((info) => info.app === 'flood' && info.state.status === 'exited');
}

function bareRun(): number {
  const dir = tmp();
  const out = path.join(dir, 'out.log');
  spawnSync('sh', ['-c', `"${process.execPath}" "${BURST}" ${LINES} | cat > "${out}"`], { stdio: 'ignore', timeout: 60_000 });
  const lost = LINES - countLines(out);
  fs.rmSync(dir, { recursive: true, force: true });
  return lost;
}

async function nodeUnitRun(): Promise<number> {
  const dir = tmp();
  writeConfig(dir, [{ name: 'flood', script: BURST, args: [String(LINES)], autorestart: false }]);
  const child = spawn(process.execPath, [CLI, 'up', '--no-tui'], { cwd: dir, stdio: 'ignore' });
  try {
    await until(async () => child.exitCode !== null || (await floodExited(dir)), 60_000, 'the flood app to exit under node-unit', 20);
  } finally {
    await stopChild(child);
  }
  const lost = LINES - countLines(path.join(dir, '.node-unit', 'logs', 'flood-out.log'));
  fs.rmSync(dir, { recursive: true, force: true });
  return lost;
}

/** pm2 may drop lines, so no line count can mark the end: wait until it reports the app stopped and the file is still. */
async function pm2Run(pm2: Pm2): Promise<number> {
  const dir = tmp();
  const out = path.join(dir, 'flood-out.log');
  const config = writeConfig(dir, [{ name: 'flood', script: BURST, args: [String(LINES)], autorestart: false, out_file: out, error_file: path.join(dir, 'flood-err.log') }]);
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
  const lost = LINES - countLines(out);
  pm2.run(['delete', 'all']);
  fs.rmSync(dir, { recursive: true, force: true });
  return lost;
}

async function main(): Promise<void> {
  const bin = WITH_PM2 ? pm2Binary() : undefined;
  const pm2 = bin ? pm2Session(bin) : undefined;
  const lost = { bare: [] as number[], nu: [] as number[], pm2: [] as number[] };
  try {
    if (pm2) pm2.run(['ping']);
    for (let round = 0; round < RUNS; round++) {
      await alternate(round, [
        async () => void lost.bare.push(bareRun()),
        async () => void lost.nu.push(await nodeUnitRun()),
        async () => void (pm2 && lost.pm2.push(await pm2Run(pm2))),
      ]);
    }
  } finally {
    pm2?.kill();
  }
  const nu = summarize(lost.nu);
  const pm2Summary = pm2 ? summarize(lost.pm2) : undefined;
  console.log(`lines lost of ${LINES.toLocaleString('en')} written at once before exit, ${RUNS} runs, median (min–max)`);
  console.log(`  bare pipe  ${formatSummary(summarize(lost.bare), 'lines')}   per run: ${lost.bare.join(' ')}`);
  console.log(`  node-unit  ${formatSummary(nu, 'lines')}   per run: ${lost.nu.join(' ')}`);
  if (pm2Summary) console.log(`  pm2        ${formatSummary(pm2Summary, 'lines')}   per run: ${lost.pm2.join(' ')}`);
  writeReport(argv, {
    bench: 'lines-lost',
    figures: [{ id: 'lost.100k', label: `lines lost: ${LINES.toLocaleString('en')} lines then exit (${RUNS} runs)`, unit: 'lines', nodeUnit: nu, ...(pm2Summary ? { pm2: pm2Summary } : {}), floor: summarize(lost.bare), floorLabel: 'bare pipe into cat > file', goal: '0 lost in every run', met: nu.max === 0 }],
  });
}

await main();
