/**
 * `npm run bench`: runs every bench script as a child process with `--json FILE`, collects their figures,
 * prints the table and writes test/bench/RESULTS.md and test/bench/results.svg. A script that fails or
 * writes no figures is reported as such; the others still run.
 * Run: npm run bench [-- --quick] [-- --only a,b] [-- --no-pm2]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pm2Binary, pm2Version } from './pm2.js';
import { markdown, svg, textTable, figuresOf, type Machine, type Outcome } from './render.js';
import type { Report } from './report.js';
import { leftovers, processes } from './leftovers.js';

interface Bench {
  readonly name: string;
  readonly args: readonly string[];
  readonly quickArgs: readonly string[];
  /** Wall-clock limit in seconds; the script is killed after it. */
  readonly limit: number;
}

const BENCHES: readonly Bench[] = [
  { name: 'supervisor', args: ['--runs', '3'], quickArgs: ['--runs', '1', '--restarts', '5'], limit: 420 },
  { name: 'control', args: ['--runs', '15'], quickArgs: ['--runs', '3'], limit: 240 },
  { name: 'restart-all', args: ['--runs', '3'], quickArgs: ['--runs', '1'], limit: 360 },
  { name: 'boot', args: ['--runs', '2', '--starts', '15'], quickArgs: ['--runs', '1', '--starts', '5'], limit: 180 },
  { name: 'idle', args: ['--seconds', '30'], quickArgs: ['--seconds', '6'], limit: 300 },
  { name: 'lines-lost', args: ['--runs', '10'], quickArgs: ['--runs', '2'], limit: 720 },
  { name: 'headless', args: ['--runs', '3'], quickArgs: ['--runs', '1', '--lines', '200000'], limit: 600 },
  { name: 'scale', args: ['--apps', '500', '--runs', '2', '--ls-runs', '10'], quickArgs: ['--apps', '100', '--runs', '1', '--ls-runs', '3'], limit: 600 },
  { name: 'logs', args: ['--lines', '1000000', '--runs', '7', '--pm2-runs', '3'], quickArgs: ['--lines', '100000'], limit: 900 },
  { name: 'tui', args: [], quickArgs: [], limit: 240 },
  { name: 'federation', args: [], quickArgs: ['--handshakes', '50', '--megabytes', '16', '--seconds', '3', '--ops', '30', '--flood-megabytes', '16', '--flood-runs', '1'], limit: 480 },
  { name: 'fleet', args: ['--seconds', '30'], quickArgs: ['--workers', '20', '--seconds', '6'], limit: 300 },
];
/** No bench starts once this much of the run has gone, so the whole run stays bounded. */
const BUDGET_SECONDS = 25 * 60;

const ROOT = process.cwd();
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const NO_PM2 = argv.includes('--no-pm2');

function selected(): readonly Bench[] {
  const i = argv.indexOf('--only');
  if (i < 0) return BENCHES;
  const names = (argv[i + 1] ?? '').split(',').filter((n) => n !== '');
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only: unknown bench "${unknown.join(',') || '(none given)'}"; the benches are ${BENCHES.map((b) => b.name).join(', ')}`);
  }
  return BENCHES.filter((b) => names.includes(b.name));
}

function readReport(file: string): Report | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('figures' in parsed) || !Array.isArray(parsed.figures)) throw new Error(`${file}: not a bench report`);
  return parsed as Report;
}

/** Runs one script in its own process group (so a timeout can end all of it), echoing its output. */
async function runOne(bench: Bench, runDir: string): Promise<Outcome> {
  const json = path.join(runDir, `${bench.name}.json`);
  const script = path.join(ROOT, 'dist', 'test', 'bench', `${bench.name}.js`);
  const args = [script, ...(QUICK ? bench.quickArgs : bench.args), ...(NO_PM2 ? ['--no-pm2'] : []), '--json', json];
  process.stdout.write(`\n=== ${bench.name}: node ${path.relative(ROOT, script)} ${args.slice(1).join(' ')}\n`);
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'], detached: true, env: { ...process.env, TMPDIR: runDir } });
  let firstError = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    process.stderr.write(chunk);
    firstError ||= chunk.split('\n').find((line) => /\bError\b/.test(line))?.trim().slice(0, 200) ?? '';
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-(child.pid ?? 0), 'SIGKILL');
  }, bench.limit * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  if (timedOut) return { kind: 'failed', bench: bench.name, seconds, reason: `timed out after ${bench.limit} s` };
  if (code !== 0) return { kind: 'failed', bench: bench.name, seconds, reason: `exit code ${code}${firstError ? `: ${firstError}` : ''}` };
  const report = readReport(json);
  return report && report.figures.length > 0 ? { kind: 'ok', bench: bench.name, seconds, report } : { kind: 'no-figures', bench: bench.name, seconds };
}

function machine(pm2: string): Machine {
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return { cpu: os.cpus()[0]?.model.trim() ?? '?', cores: os.cpus().length, load, ramGiB: os.totalmem() / 1024 ** 3, node: process.version, pm2, date: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'test', 'bench', 'run.js'))) throw new Error('run `npm run build` first (npm run bench does it)');
  const benches = selected();
  const pm2 = NO_PM2 ? 'not measured (--no-pm2)' : (() => {
    const bin = pm2Binary();
    return bin ? pm2Version(bin) : 'not installed';
  })();
  const before = machine(pm2);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-run-'));
  const existing = new Set(processes().map((p) => p.pid));
  const outcomes: Outcome[] = [];
  const started = performance.now();
  try {
    for (const bench of benches) {
      if ((performance.now() - started) / 1000 > BUDGET_SECONDS) {
        outcomes.push({ kind: 'skipped', bench: bench.name, reason: `the run's ${BUDGET_SECONDS / 60} min budget was spent` });
        continue;
      }
      const outcome = await runOne(bench, runDir);
      outcomes.push(outcome);
      const left = leftovers(existing, [runDir, path.join(ROOT, 'test', 'fixtures')]);
      if (left.length > 0) {
        process.stderr.write(`${bench.name} left ${left.length} process(es) behind; ending them: ${left.map((p) => `${p.pid} ${p.cmdline.slice(0, 80)}`).join('; ')}\n`);
        for (const p of left) process.kill(p.pid, 'SIGKILL');
      }
    }
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  const figures = figuresOf(outcomes);
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  const report = markdown({ ...before, load: `${before.load} (before), ${machine(pm2).load} (after)` }, outcomes, { command, quick: QUICK });
  fs.writeFileSync(path.join(ROOT, 'test', 'bench', 'RESULTS.md'), report);
  fs.writeFileSync(path.join(ROOT, 'test', 'bench', 'results.svg'), svg(figures));
  process.stdout.write(`\n${textTable(figures)}\n\n`);
  for (const o of outcomes) if (o.kind !== 'ok') process.stdout.write(`${o.bench}: ${o.kind === 'no-figures' ? 'no figures (no --json support)' : o.kind === 'failed' ? `failed: ${o.reason}` : `skipped: ${o.reason}`}\n`);
  process.stdout.write(`wrote test/bench/RESULTS.md and test/bench/results.svg in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

await main();
