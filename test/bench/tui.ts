// TUI figures: node dist/test/bench/tui.js [--json FILE] [--no-pm2] (needs tmux). Runs the real CLI in tmux,
// reads /proc for the CPU and memory of every process `up` runs (the supervisor, its view, the orphan guard;
// not the apps), and times key presses by polling the screen. Floors from the same run: the headless
// supervisor (`up --no-tui`, output to /dev/null) under the same flood, and tmux alone (an empty send-keys and
// one capture-pane) for the key timing. pm2 monit (50 idle apps) plus its daemon for comparison. The
// supervisor's own loop delay is read through a probe loaded with --import (loop-delay-probe.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Tmux } from '../tui/tmux.js';
import { waitFor } from '../helpers/wait.js';
import { single, writeReport, type Figure } from './report.js';
import { summarize, type Summary } from './stats.js';
import { pm2Binary, pm2Session } from './pm2.js';

const ROOT = process.cwd();
const TICKS = 100;
const WARM_UP_MS = 3000;
const FLOOD_SECONDS = 10;
const IDLE_SECONDS = 20;
const KEY_ROUNDS = 10;
const IDLE_APPS = 50;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function rssMiB(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? 0) / 1024;
}

const cmdline = (pid: number): string => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
const childrenOf = (pid: number): number[] => fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

/** The supervisor and what it runs that is not an app: the view process and the orphan guard. */
function upProcesses(pid: number): readonly number[] {
  return [pid, ...childrenOf(pid).filter((child) => !cmdline(child).includes('/fixtures/procs/'))];
}

const totalCpuSeconds = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + (isGone(pid) ? 0 : cpuSeconds(pid)), 0);
const totalRss = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + (isGone(pid) ? 0 : rssMiB(pid)), 0);

async function cpuShareOf(pids: readonly number[], seconds: number): Promise<number> {
  const before = totalCpuSeconds(pids);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  return ((totalCpuSeconds(pids) - before) / ((Date.now() - t0) / 1000)) * 100;
}

/** The process in the pane whose command line contains `marker` (the shell may exec into it, or not). */
function paneProcess(tmux: Tmux, marker: string): number {
  const shell = Number(tmux.run('display-message', '-p', '-t', 'main', '#{pane_pid}').trim());
  if (cmdline(shell).includes(marker)) return shell;
  const found = childrenOf(shell).find((pid) => cmdline(pid).includes(marker));
  if (!found) throw new Error(`no process with "${marker}" in the pane`);
  return found;
}

async function cpuShare(pid: number, seconds: number): Promise<number> {
  const before = cpuSeconds(pid);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  return ((cpuSeconds(pid) - before) / ((Date.now() - t0) / 1000)) * 100;
}

const isGone = (pid: number): boolean => !fs.existsSync(`/proc/${pid}`) || fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');

function project(apps: string): { readonly dir: string; readonly config: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nu-tui-bench-'));
  const config = path.join(dir, 'ecosystem.config.js');
  fs.writeFileSync(config, `module.exports = { apps: [${apps}] };\n`);
  return { dir, config };
}

const PROBE = path.join(ROOT, 'dist/test/bench/loop-delay-probe.js');

interface LoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** The supervisor's loop delay over the next `seconds`, as the probe in it writes it to `file`. */
function loopDelayReader(file: string): (seconds: number) => Promise<LoopDelay> {
  return async (seconds) => {
    fs.writeFileSync(`${file}.reset`, '');
    await waitFor(() => !fs.existsSync(`${file}.reset`), { timeoutMs: 5000, what: 'the probe to start a window' });
    await sleep(seconds * 1000);
    const figures: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return figures as LoopDelay;
  };
}

/**
 * `probe: false` runs `up` without the loop-delay probe: its histogram wakes the supervisor 100 times a
 * second, which is the bench's own cost, not `up`'s (about 0.7 % of a core, measured beside it).
 */
async function tuiScenario<T>(name: string, apps: string, check: (screen: string) => boolean, measure: (tmux: Tmux, pid: number, loopDelay: (seconds: number) => Promise<LoopDelay>) => Promise<T>, options: { readonly probe: boolean } = { probe: true }): Promise<T> {
  const { dir, config } = project(apps);
  const tmux = new Tmux();
  const delayFile = path.join(dir, 'loop-delay.json');
  const loopDelay = loopDelayReader(delayFile);
  try {
    const probe = options.probe ? `NODE_UNIT_LOOP_DELAY_FILE=${delayFile} node --import ${PROBE}` : 'node';
    tmux.start(`env -u CI ${probe} ${path.join(ROOT, 'bin/node-unit.js')} up --yes --config ${config} --state-dir ${dir}/state`, { cwd: dir, columns: 120, rows: 40 });
    await tmux.waitScreen(check, `${name}: all online`, 60_000);
    const pid = paneProcess(tmux, 'node-unit.js');
    const result = await measure(tmux, pid, loopDelay);
    tmux.keys('q');
    await waitFor(() => isGone(pid), { timeoutMs: 30_000, what: 'node-unit to exit' });
    return result;
  } finally {
    tmux.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The supervisor alone under the same flood: `up --no-tui`, its output thrown away. */
async function headlessFlood(apps: string): Promise<{ readonly cpu: number; readonly rss: number; readonly delay: LoopDelay }> {
  const { dir, config } = project(apps);
  const delayFile = path.join(dir, 'loop-delay.json');
  const env = { ...process.env, NODE_UNIT_LOOP_DELAY_FILE: delayFile };
  const child = spawn(process.execPath, ['--import', PROBE, path.join(ROOT, 'bin/node-unit.js'), 'up', '--no-tui', '--no-auto-exit', '--config', config, '--state-dir', `${dir}/state`], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const pid = child.pid ?? 0;
    await waitFor(() => childrenOf(pid).length >= 5, { timeoutMs: 60_000, what: 'the headless flood apps' });
    await sleep(WARM_UP_MS);
    const cpu = await cpuShare(pid, FLOOD_SECONDS);
    const delay = await loopDelayReader(delayFile)(FLOOD_SECONDS);
    return { cpu, rss: rssMiB(pid), delay };
  } finally {
    child.kill('SIGINT');
    await Promise.race([exited, sleep(30_000)]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `pm2 monit` with the same idle apps: its CPU and memory, and its daemon's memory. */
async function pm2Monit(apps: number): Promise<{ readonly cpu: number; readonly rss: number; readonly daemonRss: number } | undefined> {
  const bin = pm2Binary();
  if (!bin) return undefined;
  const pm2 = pm2Session(bin);
  const tmux = new Tmux();
  try {
    const eco = path.join(pm2.home, 'ecosystem.config.js');
    const list = Array.from({ length: apps }, (_, i) => `{ name: 'idle${String(i).padStart(2, '0')}', script: ${script('forever.js')} }`).join(', ');
    fs.writeFileSync(eco, `module.exports = { apps: [${list}] };\n`);
    pm2.run(['start', eco]);
    tmux.start(`env PM2_HOME=${pm2.home} ${bin} monit`, { cwd: pm2.home, columns: 120, rows: 40 });
    await tmux.waitScreen((s) => s.includes('idle00'), 'pm2 monit shows the apps', 60_000);
    const pid = paneProcess(tmux, 'monit');
    await sleep(WARM_UP_MS);
    const cpu = await cpuShare(pid, IDLE_SECONDS);
    const daemon = Number(fs.readFileSync(path.join(pm2.home, 'pm2.pid'), 'utf8').trim());
    return { cpu, rss: rssMiB(pid), daemonRss: rssMiB(daemon) };
  } finally {
    tmux.kill();
    pm2.kill();
  }
}

/** What tmux itself adds to a key timing: a send-keys that sends nothing, then one capture-pane. */
function tmuxFloor(tmux: Tmux): Summary {
  const times = Array.from({ length: KEY_ROUNDS }, () => {
    const t0 = performance.now();
    tmux.keys('');
    tmux.screen();
    return performance.now() - t0;
  });
  return summarize(times);
}

async function keyLatencies(tmux: Tmux): Promise<Summary> {
  const latencies: number[] = [];
  const poll = (check: (s: string) => boolean, what: string): Promise<string> =>
    waitFor(() => {
      const screen = tmux.screen();
      return check(screen) ? screen : undefined;
    }, { timeoutMs: 5000, intervalMs: 5, what });
  for (let i = 0; i < KEY_ROUNDS; i++) {
    const t0 = performance.now();
    tmux.keys('?');
    await poll((s) => s.includes('copy mode:'), 'help open');
    latencies.push(performance.now() - t0);
    tmux.keys('x');
    await poll((s) => s.includes('LOGS'), 'help closed');
  }
  return summarize(latencies);
}

const script = (file: string): string => JSON.stringify(path.join(ROOT, 'test/fixtures/procs', file));
const countOnline = (screen: string): number => (screen.match(/ online /g) ?? []).length;
const f1 = (n: number): string => n.toFixed(1);

const floodApps = Array.from({ length: 5 }, (_, i) => `{ name: 'flood${i}', script: ${script('steady-flood.js')}, args: ['2000'] }`).join(', ');
const idleApps = Array.from({ length: IDLE_APPS }, (_, i) => `{ name: 'idle${String(i).padStart(2, '0')}', script: ${script('forever.js')} }`).join(', ');

const longLine = `{ name: 'longline', script: ${script('long-lines.js')}, args: ['200000', '200'] }`;

const headless = await headlessFlood(`${longLine}, ${floodApps}`);
console.log(`flood floor: headless supervisor (up --no-tui > /dev/null), 5 apps × 2000 lines/s + 200 KB lines 5/s: CPU ${f1(headless.cpu)} % of a core, RSS ${headless.rss.toFixed(0)} MiB, loop delay p50 ${headless.delay.p50.toFixed(1)} ms, p99 ${headless.delay.p99.toFixed(1)} ms`);

const flood = await tuiScenario('flood', `${longLine}, ${floodApps}`, (s) => countOnline(s) >= 6, async (tmux, pid, loopDelay) => {
  await sleep(WARM_UP_MS);
  const processes = upProcesses(pid);
  const cpu = await cpuShareOf(processes, FLOOD_SECONDS);
  const rss = totalRss(processes);
  console.log(`flood: 5 apps × 2000 lines/s + 200 KB lines 5/s: node-unit up (${processes.length} processes: supervisor, view, guard) CPU ${f1(cpu)} % of a core, RSS ${rss.toFixed(0)} MiB`);
  const floor = tmuxFloor(tmux);
  const keys = await keyLatencies(tmux);
  console.log(`flood: key → screen change (? opens the help, capture-pane polled every 5 ms): median ${keys.median.toFixed(0)} ms, min ${keys.min.toFixed(0)}, max ${keys.max.toFixed(0)}; tmux alone (send-keys + capture-pane) ${floor.median.toFixed(0)} ms`);
  // The heaviest view: every app merged, wrapped, a search highlighting matches in the 200 KB lines.
  tmux.keys('w', '/', 'x', 'Enter');
  await tmux.waitScreen((s) => /· wrap/.test(s), 'wrap on');
  const delay = await loopDelay(FLOOD_SECONDS);
  console.log(`flood, view wrapped and searching: the supervisor's own loop delay p50 ${delay.p50.toFixed(1)} ms, p99 ${delay.p99.toFixed(1)} ms, max ${delay.max.toFixed(1)} ms`);
  return { cpu, rss, keys, floor, delay };
});

const idle = await tuiScenario('idle', idleApps, (s) => new RegExp(`${IDLE_APPS} online`).test(s), async (_tmux, pid) => {
  await sleep(WARM_UP_MS);
  const processes = upProcesses(pid);
  const cpu = await cpuShareOf(processes, IDLE_SECONDS);
  const rss = totalRss(processes);
  console.log(`idle: ${IDLE_APPS} idle apps: node-unit up (${processes.length} processes: supervisor, view, guard) CPU ${f1(cpu)} % of a core, RSS ${rss.toFixed(0)} MiB`);
  return { cpu, rss };
}, { probe: false });

const monit = process.argv.includes('--no-pm2') ? undefined : await pm2Monit(IDLE_APPS);
if (monit) console.log(`idle: pm2 monit with ${IDLE_APPS} idle apps: CPU ${f1(monit.cpu)} % of a core, RSS ${monit.rss.toFixed(0)} MiB, its daemon ${monit.daemonRss.toFixed(0)} MiB`);

const figures: Figure[] = [
  {
    id: 'tui.flood.cpu',
    label: 'CPU of `up` with the TUI (supervisor + view + guard), 5 apps × 2000 lines/s + 200 KB lines 5/s',
    unit: '% of a core',
    nodeUnit: single(flood.cpu),
    floor: single(headless.cpu),
    floorLabel: 'the same flood with `up --no-tui > /dev/null` (the supervisor alone)',
    goal: '≤ 25 % of a core',
    met: flood.cpu <= 25,
  },
  {
    id: 'tui.loop.delay',
    label: "the supervisor's own loop delay (p99) while the view is wrapped and searching under that flood",
    unit: 'ms',
    nodeUnit: { median: flood.delay.p99, min: flood.delay.p50, max: flood.delay.max },
    floor: { median: headless.delay.p99, min: headless.delay.p50, max: headless.delay.max },
    floorLabel: 'the same flood headless (`up --no-tui > /dev/null`): p99 (p50–max)',
    goal: '≤ 20 ms (p99)',
    met: flood.delay.p99 <= 20,
  },
  {
    id: 'tui.key.latency',
    label: 'key press → screen change under that flood',
    unit: 'ms',
    nodeUnit: flood.keys,
    floor: flood.floor,
    floorLabel: 'tmux alone: an empty send-keys and one capture-pane',
    // tmux's own round trip (a client process per send-keys and per capture) is not the TUI's: a user's
    // terminal has none. It is measured alone in the same run and taken off.
    goal: '≤ 50 ms beyond tmux alone (median)',
    met: flood.keys.median - flood.floor.median <= 50,
  },
  {
    id: 'tui.idle.cpu',
    label: `CPU of \`up\` with the TUI, ${IDLE_APPS} idle apps`,
    unit: '% of a core',
    nodeUnit: single(idle.cpu),
    ...(monit ? { pm2: single(monit.cpu) } : {}),
    goal: '≤ 3 % of a core',
    met: idle.cpu <= 3,
  },
  {
    id: 'tui.idle.rss',
    label: `RSS of every process \`up\` runs with the TUI (not the apps), ${IDLE_APPS} idle apps; pm2: daemon + monit`,
    unit: 'MiB',
    nodeUnit: single(idle.rss),
    ...(monit ? { pm2: single(monit.rss + monit.daemonRss) } : {}),
    goal: '≤ 0.7× pm2 daemon + pm2 monit',
    met: monit ? idle.rss <= 0.7 * (monit.rss + monit.daemonRss) : undefined,
  },
];
writeReport(process.argv, {
  bench: 'tui',
  figures,
  notes: [
    'node-unit `up` runs the supervisor and its view in two processes (plus a tiny orphan guard): the CPU and RSS figures add them up, and include the log pipeline (see the headless floor).',
    'pm2 CPU is `pm2 monit` alone; pm2 RSS is `pm2 monit` plus its daemon.',
    'The idle figures are of `up` alone; the flood scenario loads the loop-delay probe into the supervisor.',
  ],
});
