/**
 * Headless output under a flood: `up --no-tui > file` while an app writes 1,000,000 lines. Counts the app's
 * lines in the file (goal: all of them) and the supervisor's CPU per million lines, against the log-file
 * path alone: the same run with a stdout whose reader has gone (`up | head -c 0`), where `up` stops printing
 * and only writes the log files (goal: within 1.5×). Runs alternated.
 * Run: npm run build && node dist/test/bench/headless.js [--runs 3] [--lines 1000000] [--json FILE]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { alternate, appExited, CLI, cpuMsOf, fixture, stopChild, tmp, until, writeConfig } from './common.js';
import { writeReport } from './report.js';
import { formatSummary, numberFlag, summarize } from './stats.js';

const argv = process.argv.slice(2);
const RUNS = numberFlag(argv, '--runs', 3);
const LINES = numberFlag(argv, '--lines', 1_000_000);

interface Outcome {
  readonly cpuMsPerMillion: number;
  /** The app's lines that reached up's stdout (file mode only). */
  readonly printed: number;
}

function printedLines(file: string): number {
  if (!fs.existsSync(file)) return 0;
  return fs.readFileSync(file, 'latin1').split('\n').filter((line) => line.startsWith('flood ')).length;
}

async function run(mode: 'file' | 'logs-only'): Promise<Outcome> {
  const dir = tmp();
  const out = path.join(dir, 'up.out');
  writeConfig(dir, [{ name: 'flood', script: fixture('flood.js'), args: [String(LINES), 'line'], autorestart: false }]);
  const fd = fs.openSync(out, 'w');
  // --no-auto-exit: its CPU time is read after the app has ended, so it must still be there.
  const child = spawn(process.execPath, [CLI, 'up', '--no-tui', '--no-auto-exit'], { cwd: dir, stdio: ['ignore', mode === 'file' ? fd : 'pipe', 'ignore'], env: { ...process.env, NO_COLOR: '1' } });
  fs.closeSync(fd);
  // The reader goes away at once: up says so on stderr and from then on writes the log files only.
  child.stdout?.destroy();
  let cpuMs = 0;
  try {
    await until(async () => child.exitCode !== null || (await appExited(dir, 'flood')), 300_000, 'the flood app to exit under node-unit', 50);
    if (mode === 'file') await until(() => printedLines(out) >= LINES, 60_000, 'every line in up.out (or the deadline)', 100).catch(() => undefined);
    cpuMs = cpuMsOf([child.pid ?? 0]);
  } finally {
    await stopChild(child);
  }
  const printed = mode === 'file' ? printedLines(out) : 0;
  fs.rmSync(dir, { recursive: true, force: true });
  return { cpuMsPerMillion: (cpuMs * 1_000_000) / LINES, printed };
}

async function main(): Promise<void> {
  const file: Outcome[] = [];
  const logsOnly: Outcome[] = [];
  for (let round = 0; round < RUNS; round++) {
    await alternate(round, [async () => void file.push(await run('file')), async () => void logsOnly.push(await run('logs-only'))]);
  }
  const printed = summarize(file.map((o) => o.printed));
  const cpu = summarize(file.map((o) => o.cpuMsPerMillion));
  const floor = summarize(logsOnly.map((o) => o.cpuMsPerMillion));
  console.log(`up --no-tui > file, an app writing ${LINES.toLocaleString('en')} lines, ${RUNS} runs, median (min–max)`);
  console.log(`  lines in the file       ${formatSummary(printed, 'lines')}   per run: ${file.map((o) => o.printed).join(' ')}`);
  console.log(`  supervisor CPU / 1M     ${formatSummary(cpu)} (log files alone: ${formatSummary(floor)})`);
  writeReport(argv, {
    bench: 'headless',
    figures: [
      { id: 'headless.lines', label: `headless up > file: lines printed of ${LINES.toLocaleString('en')}`, unit: 'lines', nodeUnit: printed, goal: 'all in every run', met: printed.min === LINES, higherIsBetter: true },
      { id: 'headless.cpu', label: 'headless up > file: supervisor CPU per million lines', unit: 'ms', nodeUnit: cpu, floor, floorLabel: 'the log files alone (stdout reader gone)', goal: '≤ 1.5× the log files alone', met: cpu.median <= 1.5 * floor.median },
    ],
  });
}

await main();
