/**
 * Log throughput: one app floods its stdout with 1,000,000 lines of 100 bytes, and we measure how fast
 * the lines reach the log file for node-unit (a LogHub in its own process, fed by the app's pipe),
 * the shell's `> file` redirect (the physical limit) and pm2 — one line per write, 64 KiB writes, and
 * one line per write with time: true. Supervisor CPU: node-unit's process.cpuUsage, pm2 daemon's /proc.
 * Run: npm run build && node dist/test/bench/logs.js [--lines 1000000] [--runs 1] [--no-pm2]
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pm2Binary, pm2Session, pm2Version, type Pm2 } from './pm2.js';
import { summarize, numberFlag } from './stats.js';

const ROOT = process.cwd();
const FLOOD = path.join(ROOT, 'test', 'fixtures', 'procs', 'flood.js');
const DRIVER = path.join(ROOT, 'dist', 'test', 'bench', 'logs-driver.js');
const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => numberFlag(argv, name, fallback);
const LINES = flag('--lines', 1_000_000);
const RUNS = flag('--runs', 1);
const WITH_PM2 = !argv.includes('--no-pm2');
const LINE_BYTES = 100;
const TICK = 100; // clock ticks per second in /proc/PID/stat on Linux

interface Pattern {
  readonly name: string;
  readonly mode: 'line' | 'block';
  readonly time: boolean;
}
const PATTERNS: readonly Pattern[] = [
  { name: 'one line per write', mode: 'line', time: false },
  { name: '64 KiB writes', mode: 'block', time: false },
  { name: 'line per write, time: true', mode: 'line', time: true },
];

/** One measurement: wall ms until every line was in the file, supervisor CPU ms, lines found. */
interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly lines: number;
}

const floodArgs = (p: Pattern): string[] => [String(LINES), p.mode, String(LINE_BYTES), '65536'];
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-logs-'));

function countLines(file: string): number {
  const data = fs.readFileSync(file);
  let count = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) count++;
  return count;
}

async function exited(command: string, args: readonly string[], options: { readonly shell?: boolean } = {}): Promise<string> {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'inherit'], shell: options.shell ?? false });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${command} exited with ${code}`);
  return out;
}

async function raw(p: Pattern): Promise<Run> {
  const file = path.join(tmp(), 'raw.log');
  const started = performance.now();
  await exited('sh', ['-c', `exec "${process.execPath}" "${FLOOD}" ${floodArgs(p).join(' ')} > "${file}"`]);
  const run = { wallMs: performance.now() - started, cpuMs: 0, lines: countLines(file) };
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return run;
}

async function nodeUnit(p: Pattern): Promise<Run> {
  const file = path.join(tmp(), 'flood-out.log');
  const out = await exited(process.execPath, [DRIVER, file, p.time ? '1' : '0', FLOOD, ...floodArgs(p)]);
  const parsed: unknown = JSON.parse(out);
  if (typeof parsed !== 'object' || parsed === null || !('wallMs' in parsed) || !('cpuMs' in parsed)) throw new Error(`driver said ${out}`);
  const run = { wallMs: Number(parsed.wallMs), cpuMs: Number(parsed.cpuMs), lines: countLines(file) };
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return run;
}

function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function pm2Run(pm2: Pm2, p: Pattern): Promise<Run> {
  const dir = tmp();
  const file = path.join(dir, 'flood-out.log');
  const config = path.join(dir, 'ecosystem.config.cjs');
  const app = { name: 'flood', script: FLOOD, args: floodArgs(p), autorestart: false, merge_logs: true, out_file: file, error_file: path.join(dir, 'flood-err.log'), time: p.time };
  fs.writeFileSync(config, `module.exports = ${JSON.stringify({ apps: [app] })};\n`);
  const daemon = Number(fs.readFileSync(path.join(pm2.home, 'pm2.pid'), 'utf8'));
  const ticks = cpuTicks(daemon);
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
  const run = { wallMs: grewAt - started, cpuMs: ((cpuTicks(daemon) - ticks) * 1000) / TICK, lines: countLines(file) };
  pm2.run(['delete', 'all']);
  fs.rmSync(dir, { recursive: true, force: true });
  return run;
}

async function repeat(measure: () => Promise<Run>): Promise<Run> {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure());
  return { wallMs: summarize(runs.map((r) => r.wallMs)).median, cpuMs: summarize(runs.map((r) => r.cpuMs)).median, lines: Math.min(...runs.map((r) => r.lines)) };
}

const rate = (run: Run): number => (run.lines / run.wallMs) * 1000;
const k = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`);
const mb = (run: Run): string => ((run.lines * LINE_BYTES) / 1e6 / (run.wallMs / 1000)).toFixed(0);
const cpuPerMillion = (run: Run): string => ((run.cpuMs / 1000) * (1e6 / LINES)).toFixed(2);
const lost = (run: Run): string => (run.lines === LINES ? '' : ` (${LINES - run.lines} lost)`);

async function main(): Promise<void> {
  if (!fs.existsSync(DRIVER)) throw new Error('run npm run build first');
  const bin = WITH_PM2 ? pm2Binary() : undefined;
  const pm2 = bin ? pm2Session(bin) : undefined;
  if (pm2) pm2.run(['ping']);
  console.log(`log throughput: ${LINES.toLocaleString('en')} lines of ${LINE_BYTES} bytes, ${RUNS} run(s) each, node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0]?.toFixed(1)}${bin ? `, pm2 ${pm2Version(bin)}` : ''}`);
  const rows: string[][] = [['pattern', 'raw > file', 'node-unit', 'nu/raw', 'nu CPU s/M', 'pm2', 'pm2 CPU s/M', 'nu/pm2 rate', 'nu/pm2 CPU']];
  try {
    for (const p of PATTERNS) {
      const r = await repeat(() => raw(p));
      const n = await repeat(() => nodeUnit(p));
      const m = pm2 ? await repeat(() => pm2Run(pm2, p)) : undefined;
      rows.push([
        p.name,
        `${k(rate(r))}/s ${mb(r)} MB/s`,
        `${k(rate(n))}/s ${mb(n)} MB/s${lost(n)}`,
        `${(rate(n) / rate(r)).toFixed(2)}×`,
        cpuPerMillion(n),
        m ? `${k(rate(m))}/s ${mb(m)} MB/s${lost(m)}` : '-',
        m ? cpuPerMillion(m) : '-',
        m ? `${(rate(n) / rate(m)).toFixed(2)}×` : '-',
        m ? `${(n.cpuMs / m.cpuMs).toFixed(2)}×` : '-',
      ]);
    }
  } finally {
    pm2?.kill();
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
  console.log('goals: nu/raw ≥ 0.90 in both patterns; nu/pm2 CPU ≤ 0.50; with time: true nu/pm2 rate ≥ 2×');
}

await main();
