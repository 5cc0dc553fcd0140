// TUI figures: node dist/test/bench/tui.js (needs tmux). Runs the real CLI in tmux, reads /proc for its CPU
// and memory, and times key presses by polling the screen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Tmux } from '../tui/tmux.js';
import { waitFor } from '../helpers/wait.js';

const ROOT = process.cwd();
const TICKS = 100;

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function rssMiB(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? 0) / 1024;
}

function supervisorPid(tmux: Tmux): number {
  const shell = Number(tmux.run('display-message', '-p', '-t', 'main', '#{pane_pid}').trim());
  // sh may exec straight into env, which execs node: then the pane's process is node-unit itself.
  if (fs.readFileSync(`/proc/${shell}/cmdline`, 'utf8').includes('node-unit.js')) return shell;
  const children = fs.readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/).map(Number);
  const node = children.find((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node-unit.js'));
  if (!node) throw new Error('node-unit process not found');
  return node;
}

async function cpuShare(pid: number, seconds: number): Promise<number> {
  const before = cpuSeconds(pid);
  const t0 = Date.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return ((cpuSeconds(pid) - before) / ((Date.now() - t0) / 1000)) * 100;
}

async function scenario(name: string, apps: string, check: (screen: string) => boolean, measure: (tmux: Tmux, pid: number) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nu-tui-bench-'));
  const config = path.join(dir, 'ecosystem.config.js');
  fs.writeFileSync(config, `module.exports = { apps: [${apps}] };\n`);
  const tmux = new Tmux();
  try {
    tmux.start(`env -u CI node ${path.join(ROOT, 'bin/node-unit.js')} up --config ${config} --state-dir ${dir}/state`, { cwd: dir, columns: 120, rows: 40 });
    await tmux.waitScreen(check, `${name}: all online`, 60_000);
    const pid = supervisorPid(tmux);
    await measure(tmux, pid);
    tmux.keys('q');
    await waitFor(() => !fs.existsSync(`/proc/${pid}`) || fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'), { timeoutMs: 30_000, what: 'node-unit to exit' });
  } finally {
    tmux.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const script = (file: string): string => JSON.stringify(path.join(ROOT, 'test/fixtures/procs', file));
const countOnline = (screen: string): number => (screen.match(/ online /g) ?? []).length;

const flood = Array.from({ length: 5 }, (_, i) => `{ name: 'flood${i}', script: ${script('steady-flood.js')}, args: ['2000'] }`).join(', ');
await scenario('flood', flood, (s) => countOnline(s) >= 5, async (tmux, pid) => {
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const cpu = await cpuShare(pid, 10);
  console.log(`flood: 5 apps × 2000 lines/s: node-unit (supervisor + TUI) CPU ${cpu.toFixed(1)} % of a core, RSS ${rssMiB(pid).toFixed(0)} MiB`);
  const latencies: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    tmux.keys('?');
    await tmux.waitScreen((s) => s.includes('copy mode:'), 'help open', 5000);
    latencies.push(performance.now() - t0);
    tmux.keys('x');
    await tmux.waitScreen((s) => s.includes('LOGS'), 'help closed', 5000);
  }
  latencies.sort((a, b) => a - b);
  console.log(`flood: key → screen change (? opens the help, polled with capture-pane): median ${latencies[5]?.toFixed(0)} ms, max ${latencies.at(-1)?.toFixed(0)} ms`);
});

const idle = Array.from({ length: 50 }, (_, i) => `{ name: 'idle${String(i).padStart(2, '0')}', script: ${script('forever.js')} }`).join(', ');
await scenario('idle', idle, (s) => /50 online/.test(s), async (_tmux, pid) => {
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const cpu = await cpuShare(pid, 20);
  console.log(`idle: 50 idle apps: node-unit (supervisor + TUI) CPU ${cpu.toFixed(1)} % of a core, RSS ${rssMiB(pid).toFixed(0)} MiB`);
});
