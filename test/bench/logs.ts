/**
 * Log throughput: one app floods its stdout with 1,000,000 lines of 100 bytes, and we measure how fast
 * the lines reach the log file for node-unit (a LogHub in its own process, fed by the app's pipe),
 * the shell's `> file` redirect (the physical limit) and pm2 — one line per write, 64 KiB writes, and
 * one line per write with time: true. Supervisor CPU: node-unit's process.cpuUsage, pm2 daemon's /proc.
 * The app also reports its write loop alone (FLOOD_TIMING): start-up excluded, what each reader costs it.
 * Run: npm run build && node dist/test/bench/logs.js [--lines 1000000] [--runs 1] [--pm2-runs RUNS] [--no-pm2] [--json FILE]
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { procStat } from './common.js';
import { pm2Binary, pm2Session, pm2Version, type Pm2 } from './pm2.js';
import { writeReport, type Figure } from './report.js';
import { summarize, numberFlag, type Summary } from './stats.js';

const ROOT = process.cwd();
const FLOOD = path.join(ROOT, 'test', 'fixtures', 'procs', 'flood.js');
const DRIVER = path.join(ROOT, 'dist', 'test', 'bench', 'logs-driver.js');
const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => numberFlag(argv, name, fallback);
const LINES = flag('--lines', 1_000_000);
const RUNS = flag('--runs', 1);
/** pm2's runs are the slow ones (each waits 2 s for its file to settle): fewer of them may do. */
const PM2_RUNS = Math.min(RUNS, flag('--pm2-runs', RUNS));
const WITH_PM2 = !argv.includes('--no-pm2');
const LINE_BYTES = 100;

interface Pattern {
  readonly id: 'line' | 'block' | 'time';
  readonly name: string;
  readonly mode: 'line' | 'block';
  readonly time: boolean;
}
const PATTERNS: readonly Pattern[] = [
  { id: 'line', name: 'one line per write', mode: 'line', time: false },
  { id: 'block', name: '64 KiB writes', mode: 'block', time: false },
  { id: 'time', name: 'line per write, time: true', mode: 'line', time: true },
];
const RAW_GOAL = 0.9;
const PM2_TIME_GOAL = 2;
const PM2_CPU_GOAL = 0.5;

/** One measurement: wall ms until every line was in the file, supervisor CPU ms, lines found, and the app's write loop in ms. */
interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly lines: number;
  readonly loopMs: number;
}

// pm2 prefixes its error file's lines with a date when time: true.
const LOOP = /flood: wrote \d+ lines in ([\d.]+) ms$/m;
const loopMs = (text: string): number => Number(LOOP.exec(text)?.[1] ?? Number.NaN);
const FLOOD_ENV = { ...process.env, FLOOD_TIMING: '1' };

const floodArgs = (p: Pattern): string[] => [String(LINES), p.mode, String(LINE_BYTES), '65536'];
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-logs-'));

function countLines(file: string): number {
  const data = fs.readFileSync(file);
  let count = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) count++;
  return count;
}

/** Runs a command to its end: its stdout, and its stderr (also passed on, but for the app's timing line). */
async function exited(command: string, args: readonly string[]): Promise<{ readonly out: string; readonly err: string }> {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env: FLOOD_ENV });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const rest = err.replace(LOOP, '').trim();
  if (rest) process.stderr.write(`${rest}\n`);
  if (code !== 0) throw new Error(`${command} exited with ${code}`);
  return { out, err };
}

async function rawRun(p: Pattern): Promise<Run> {
  const file = path.join(tmp(), 'raw.log');
  const started = performance.now();
  const { err } = await exited('sh', ['-c', `exec "${process.execPath}" "${FLOOD}" ${floodArgs(p).join(' ')} > "${file}"`]);
  const run = { wallMs: performance.now() - started, cpuMs: 0, lines: countLines(file), loopMs: loopMs(err) };
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return run;
}

/** The limits around the raw redirect: the app alone into /dev/null (how fast it can write at all), and through `| cat >` (a minimal relay: one pipe, one reader). */
async function shellRun(p: Pattern, how: 'devnull' | 'cat'): Promise<Run> {
  const dir = tmp();
  const file = path.join(dir, 'cat.log');
  const app = `"${process.execPath}" "${FLOOD}" ${floodArgs(p).join(' ')}`;
  const started = performance.now();
  const { err } = await exited('sh', ['-c', how === 'devnull' ? `exec ${app} > /dev/null` : `${app} | cat > "${file}"`]);
  const wallMs = performance.now() - started;
  const run = { wallMs, cpuMs: 0, lines: how === 'devnull' ? LINES : countLines(file), loopMs: loopMs(err) };
  fs.rmSync(dir, { recursive: true, force: true });
  return run;
}

async function nodeUnit(p: Pattern, readOnly = false): Promise<Run> {
  const file = path.join(tmp(), 'flood-out.log');
  const { out, err } = await exited(process.execPath, [DRIVER, file, readOnly ? 'read' : p.time ? '1' : '0', FLOOD, ...floodArgs(p)]);
  const parsed: unknown = JSON.parse(out);
  if (typeof parsed !== 'object' || parsed === null || !('wallMs' in parsed) || !('cpuMs' in parsed)) throw new Error(`driver said ${out}`);
  const run = { wallMs: Number(parsed.wallMs), cpuMs: Number(parsed.cpuMs), lines: readOnly ? LINES : countLines(file), loopMs: loopMs(err) };
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return run;
}

async function pm2Run(pm2: Pm2, p: Pattern): Promise<Run> {
  const dir = tmp();
  const file = path.join(dir, 'flood-out.log');
  const config = path.join(dir, 'ecosystem.config.cjs');
  const errorFile = path.join(dir, 'flood-err.log');
  const app = { name: 'flood', script: FLOOD, args: floodArgs(p), autorestart: false, merge_logs: true, out_file: file, error_file: errorFile, time: p.time, env: { FLOOD_TIMING: '1' } };
  fs.writeFileSync(config, `module.exports = ${JSON.stringify({ apps: [app] })};\n`);
  const daemon = Number(fs.readFileSync(path.join(pm2.home, 'pm2.pid'), 'utf8'));
  const cpuBefore = procStat(daemon)?.cpuMs ?? 0;
  const started = performance.now();
  pm2.run(['start', config]);
  let size = -1;
  let grewAt = performance.now();
  // Done when the file stops growing for 2 s (pm2 may lose lines, so a target size could never come).
  while (performance.now() - grewAt < 2000) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = fs.existsSync(file) ? fs.statSync(file).size : 0;
    if (now !== size) {
      size = now;
      grewAt = performance.now();
    }
  }
  const errors = fs.existsSync(errorFile) ? fs.readFileSync(errorFile, 'utf8') : '';
  const run = { wallMs: grewAt - started, cpuMs: (procStat(daemon)?.cpuMs ?? cpuBefore) - cpuBefore, lines: countLines(file), loopMs: loopMs(errors) };
  pm2.run(['delete', 'all']);
  fs.rmSync(dir, { recursive: true, force: true });
  return run;
}

/** Every run of one system on one pattern: rates and CPU are summarized over runs, lost lines are the worst run's. */
interface Runs {
  readonly rate: Summary;
  readonly cpuMs: Summary;
  readonly lines: number;
  /** The app's write loop, median ms (NaN when it did not say). */
  readonly loopMs: number;
}

function summarizeRuns(runs: readonly Run[]): Runs {
  const loops = runs.map((r) => r.loopMs).filter(Number.isFinite);
  return {
    rate: summarize(runs.map((r) => (r.lines / r.wallMs) * 1000)),
    cpuMs: summarize(runs.map((r) => r.cpuMs)),
    lines: Math.min(...runs.map((r) => r.lines)),
    loopMs: loops.length > 0 ? summarize(loops).median : Number.NaN,
  };
}

/** Raw, node-unit and pm2 take turns run by run, so a change in the machine's load hits all three alike. */
async function measurePattern(pattern: Pattern, pm2: Pm2 | undefined): Promise<Measured> {
  const raw: Run[] = [];
  const nu: Run[] = [];
  const other: Run[] = [];
  const devnull: Run[] = [];
  const cat: Run[] = [];
  const readOnly: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    devnull.push(await shellRun(pattern, 'devnull'));
    cat.push(await shellRun(pattern, 'cat'));
    readOnly.push(await nodeUnit(pattern, true));
    raw.push(await rawRun(pattern));
    nu.push(await nodeUnit(pattern));
    if (pm2 && i < PM2_RUNS) other.push(await pm2Run(pm2, pattern));
  }
  return { pattern, raw: summarizeRuns(raw), nu: summarizeRuns(nu), pm2: pm2 ? summarizeRuns(other) : undefined, devnull: summarizeRuns(devnull), cat: summarizeRuns(cat), readOnly: summarizeRuns(readOnly) };
}

const k = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`);
const mb = (runs: Runs): string => ((runs.rate.median * LINE_BYTES) / 1e6).toFixed(0);
const perMillion = (ms: number): number => (ms / 1000) * (1e6 / LINES);
const cpuPerMillion = (runs: Runs): Summary => ({ median: perMillion(runs.cpuMs.median), min: perMillion(runs.cpuMs.min), max: perMillion(runs.cpuMs.max) });
const lost = (runs: Runs): string => (runs.lines === LINES ? '' : ` (${LINES - runs.lines} lost)`);
const speed = (runs: Runs): string => `${k(runs.rate.median)}/s ${mb(runs)} MB/s${lost(runs)}`;

interface Measured {
  readonly pattern: Pattern;
  readonly raw: Runs;
  readonly nu: Runs;
  readonly pm2: Runs | undefined;
  readonly devnull: Runs;
  readonly cat: Runs;
  /** Node reading the supervisor's pipe and dropping the bytes: no ring, no file. */
  readonly readOnly: Runs;
}

function rateFigure({ pattern, raw, nu, pm2 }: Measured): Figure {
  const versusPm2 = pattern.id === 'time';
  const ratio = versusPm2 ? (pm2 ? nu.rate.median / pm2.rate.median : undefined) : nu.rate.median / raw.rate.median;
  return {
    id: `logs.${pattern.id}`,
    label: `log lines/s into the file, ${pattern.name} (${LINE_BYTES}-byte lines)`,
    unit: 'lines/s',
    nodeUnit: nu.rate,
    ...(pm2 ? { pm2: pm2.rate } : {}),
    floor: raw.rate,
    floorLabel: 'shell redirect > file',
    goal: versusPm2 ? `≥ ${PM2_TIME_GOAL}× pm2` : `≥ ${RAW_GOAL}× the shell redirect`,
    ...(ratio === undefined ? {} : { met: ratio >= (versusPm2 ? PM2_TIME_GOAL : RAW_GOAL) && nu.lines === LINES }),
    higherIsBetter: true,
  };
}

function cpuFigure({ nu, pm2 }: Measured): Figure {
  const ours = cpuPerMillion(nu);
  const theirs = pm2 ? cpuPerMillion(pm2) : undefined;
  return {
    id: 'logs.cpu',
    label: 'supervisor CPU per million lines, one line per write',
    unit: 's',
    nodeUnit: ours,
    ...(theirs ? { pm2: theirs, met: ours.median <= PM2_CPU_GOAL * theirs.median } : {}),
    goal: `≤ ${PM2_CPU_GOAL}× pm2`,
  };
}

/** Where the ceiling is: the app alone, and a minimal relay through one pipe. */
function limitNote({ pattern, raw, nu, pm2, devnull, cat, readOnly }: Measured): string {
  const ofRaw = (runs: Runs): string => `${(runs.rate.median / raw.rate.median).toFixed(2)}× raw`;
  const pm2Goal = pattern.id === 'time' && pm2 ? `; ${PM2_TIME_GOAL}× pm2 would be ${k(PM2_TIME_GOAL * pm2.rate.median)}/s` : '';
  return `${pattern.name}: the app alone > /dev/null ${k(devnull.rate.median)}/s (${ofRaw(devnull)}), through \`| cat >\` ${k(cat.rate.median)}/s (${ofRaw(cat)}), the supervisor only reading the pipe ${k(readOnly.rate.median)}/s (${ofRaw(readOnly)}), node-unit ${k(nu.rate.median)}/s (${ofRaw(nu)})${pm2Goal}`;
}

/** The app's write loop alone (its start-up, a third or more of a 64 KiB flood's wall time, left out): what each reader of its output costs it. */
function loopNote({ pattern, raw, nu, pm2, devnull, cat, readOnly }: Measured): string {
  const ms = (runs: Runs): string => `${runs.loopMs.toFixed(0)} ms (${(raw.loopMs / runs.loopMs).toFixed(2)}× raw's speed)`;
  return `${pattern.name}, the app's write loop alone: > file ${raw.loopMs.toFixed(0)} ms, > /dev/null ${ms(devnull)}, | cat > ${ms(cat)}, the supervisor only reading ${ms(readOnly)}, node-unit ${ms(nu)}${pm2 ? `, pm2 ${ms(pm2)}` : ''}`;
}

function table(results: readonly Measured[]): string[][] {
  const rows = [['pattern', 'raw > file', 'node-unit', 'nu/raw', 'nu CPU s/M', 'pm2', 'pm2 CPU s/M', 'nu/pm2 rate', 'nu/pm2 CPU']];
  for (const { pattern, raw, nu, pm2 } of results) {
    rows.push([
      pattern.name,
      speed(raw),
      speed(nu),
      `${(nu.rate.median / raw.rate.median).toFixed(2)}×`,
      cpuPerMillion(nu).median.toFixed(2),
      pm2 ? speed(pm2) : '-',
      pm2 ? cpuPerMillion(pm2).median.toFixed(2) : '-',
      pm2 ? `${(nu.rate.median / pm2.rate.median).toFixed(2)}×` : '-',
      pm2 ? `${(nu.cpuMs.median / pm2.cpuMs.median).toFixed(2)}×` : '-',
    ]);
  }
  return rows;
}

async function main(): Promise<void> {
  if (!fs.existsSync(DRIVER)) throw new Error('run npm run build first');
  const bin = WITH_PM2 ? pm2Binary() : undefined;
  const pm2 = bin ? pm2Session(bin) : undefined;
  if (pm2) pm2.run(['ping']);
  const setting = `${LINES.toLocaleString('en')} lines of ${LINE_BYTES} bytes, ${RUNS} run(s) each (pm2 ${PM2_RUNS}), node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0]?.toFixed(1)}${bin ? `, pm2 ${pm2Version(bin)}` : ''}`;
  console.log(`log throughput: ${setting}`);
  const results: Measured[] = [];
  try {
    for (const pattern of PATTERNS) results.push(await measurePattern(pattern, pm2));
  } finally {
    pm2?.kill();
  }
  const rows = table(results);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
  console.log(`goals: nu/raw ≥ ${RAW_GOAL} in both patterns; nu/pm2 CPU ≤ ${PM2_CPU_GOAL}; with time: true nu/pm2 rate ≥ ${PM2_TIME_GOAL}×`);
  const line = results.find((r) => r.pattern.id === 'line');
  const figures = [...results.map(rateFigure), ...(line ? [cpuFigure(line)] : [])];
  const cpuNotes = results.map(({ pattern, nu, pm2 }) => `${pattern.name}: node-unit ${cpuPerMillion(nu).median.toFixed(2)} s CPU per million lines${pm2 ? `, pm2 ${cpuPerMillion(pm2).median.toFixed(2)} s` : ''}`);
  const limitNotes = [...results.map(limitNote), ...results.map(loopNote)];
  for (const note of limitNotes) console.log(note);
  writeReport(argv, { bench: 'logs', figures, notes: [setting, ...cpuNotes, ...limitNotes] });
}

await main();
