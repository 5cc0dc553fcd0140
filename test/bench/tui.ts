// TUI figures: node dist/test/bench/tui.js [--json FILE] [--no-pm2] (needs tmux). Runs the real CLI in tmux,
// reads /proc for its CPU and memory, and times key presses by polling the screen. Floors from the same run:
// the headless supervisor (`up --no-tui`, output to /dev/null) under the same flood, and tmux alone
// (an empty send-keys and one capture-pane) for the key timing. pm2 monit (50 idle apps) for comparison.
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

async function tuiScenario<T>(name: string, apps: string, check: (screen: string) => boolean, measure: (tmux: Tmux, pid: number) => Promise<T>): Promise<T> {
  const { dir, config } = project(apps);
  const tmux = new Tmux();
  try {
    tmux.start(`env -u CI node ${path.join(ROOT, 'bin/node-unit.js')} up --config ${config} --state-dir ${dir}/state`, { cwd: dir, columns: 120, rows: 40 });
    await tmux.waitScreen(check, `${name}: all online`, 60_000);
    const pid = paneProcess(tmux, 'node-unit.js');
    const result = await measure(tmux, pid);
    tmux.keys('q');
    await waitFor(() => isGone(pid), { timeoutMs: 30_000, what: 'node-unit to exit' });
    return result;
  } finally {
    tmux.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The supervisor alone under the same flood: `up --no-tui`, its output thrown away. */
async function headlessFlood(apps: string): Promise<{ readonly cpu: number; readonly rss: number }> {
  const { dir, config } = project(apps);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/node-unit.js'), 'up', '--no-tui', '--config', config, '--state-dir', `${dir}/state`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const pid = child.pid ?? 0;
    await waitFor(() => childrenOf(pid).length >= 5, { timeoutMs: 60_000, what: 'the headless flood apps' });
    await sleep(WARM_UP_MS);
    const cpu = await cpuShare(pid, FLOOD_SECONDS);
    return { cpu, rss: rssMiB(pid) };
  } finally {
    child.kill('SIGINT');
    await Promise.race([exited, sleep(30_000)]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `pm2 monit` with the same idle apps: its own process's CPU and memory (the pm2 daemon not counted). */
async function pm2Monit(apps: number): Promise<{ readonly cpu: number; readonly rss: number } | undefined> {
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
    return { cpu, rss: rssMiB(pid) };
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

const headless = await headlessFlood(floodApps);
console.log(`flood floor: headless supervisor (up --no-tui > /dev/null), 5 apps × 2000 lines/s: CPU ${f1(headless.cpu)} % of a core, RSS ${headless.rss.toFixed(0)} MiB`);

const flood = await tuiScenario('flood', floodApps, (s) => countOnline(s) >= 5, async (tmux, pid) => {
  await sleep(WARM_UP_MS);
  const cpu = await cpuShare(pid, FLOOD_SECONDS);
  const rss = rssMiB(pid);
  console.log(`flood: 5 apps × 2000 lines/s: node-unit up (supervisor + TUI) CPU ${f1(cpu)} % of a core, RSS ${rss.toFixed(0)} MiB`);
  const floor = tmuxFloor(tmux);
  const keys = await keyLatencies(tmux);
  console.log(`flood: key → screen change (? opens the help, capture-pane polled every 5 ms): median ${keys.median.toFixed(0)} ms, min ${keys.min.toFixed(0)}, max ${keys.max.toFixed(0)}; tmux alone (send-keys + capture-pane) ${floor.median.toFixed(0)} ms`);
  return { cpu, rss, keys, floor };
});

const idle = await tuiScenario('idle', idleApps, (s) => new RegExp(`${IDLE_APPS} online`).test(s), async (_tmux, pid) => {
  await sleep(WARM_UP_MS);
  const cpu = await cpuShare(pid, IDLE_SECONDS);
  const rss = rssMiB(pid);
  console.log(`idle: ${IDLE_APPS} idle apps: node-unit up (supervisor + TUI) CPU ${f1(cpu)} % of a core, RSS ${rss.toFixed(0)} MiB`);
  return { cpu, rss };
});

const monit = process.argv.includes('--no-pm2') ? undefined : await pm2Monit(IDLE_APPS);
if (monit) console.log(`idle: pm2 monit with ${IDLE_APPS} idle apps: CPU ${f1(monit.cpu)} % of a core, RSS ${monit.rss.toFixed(0)} MiB (its own process; the pm2 daemon not counted)`);

const figures: Figure[] = [
  {
    id: 'tui.flood.cpu',
    label: 'CPU of `up` with the TUI, 5 apps × 2000 lines/s',
    unit: '% of a core',
    nodeUnit: single(flood.cpu),
    floor: single(headless.cpu),
    floorLabel: 'the same flood with `up --no-tui > /dev/null`',
    goal: '≤ 25 % of a core',
    met: flood.cpu <= 25,
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
    goal: '< 100 ms beyond tmux alone (median)',
    met: flood.keys.median - flood.floor.median < 100,
  },
  {
    id: 'tui.idle.cpu',
    label: `CPU of \`up\` with the TUI, ${IDLE_APPS} idle apps`,
    unit: '% of a core',
    nodeUnit: single(idle.cpu),
    ...(monit ? { pm2: single(monit.cpu) } : {}),
    goal: '≤ 5 % of a core',
    met: idle.cpu <= 5,
  },
  {
    id: 'tui.idle.rss',
    label: `RSS of \`up\` with the TUI, ${IDLE_APPS} idle apps`,
    unit: 'MiB',
    nodeUnit: single(idle.rss),
    ...(monit ? { pm2: single(monit.rss) } : {}),
    goal: '≤ 90 MiB',
    met: idle.rss <= 90,
  },
];
writeReport(process.argv, {
  bench: 'tui',
  figures,
  notes: [
    'node-unit `up` runs the supervisor and the TUI in one process: its figures include the log pipeline (see the headless floor).',
    'pm2 figures are `pm2 monit` alone; its daemon runs in another process.',
  ],
});
