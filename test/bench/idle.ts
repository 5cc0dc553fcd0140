/**
 * Idle cost, everything running side by side over the same window (so drift hits all alike):
 * the same 50 idle apps as bare children, under node-unit headless, under node-unit with its TUI (in tmux,
 * with `node-unit attach` open on it in a second tmux), and under pm2 (with `pm2 monit` open in tmux).
 * `attach` is the TUI alone, a client of the supervisor's socket as `pm2 monit` is of pm2's daemon. It
 * watches the TUI's supervisor, not the headless one: a viewer makes a supervisor sample metrics every 2 s,
 * and the headless figure is that of a supervisor nobody watches. Read from /proc/PID/stat: the supervisors' CPU and RSS,
 * and the CPU and RSS of each app, which shows what a supervisor injects into the apps.
 * With --plugin-columns, one more supervisor with its TUI runs the same apps under a plugin that declares a
 * column and a panel: what plugin columns cost a watched supervisor (their values follow state changes and
 * metrics samples, never a timer of their own).
 * Run: npm run build && node dist/test/bench/idle.js [--seconds 30] [--apps 50] [--no-pm2] [--plugin-columns] [--json FILE]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Tmux } from '../tui/tmux.js';
import { CLI, cpuMsOf, fixture, nodeUnitAppPids, pm2DaemonPid, pm2OnlinePids, pm2StartAll, procStat, sleep, startNodeUnit, stopChild, tmp, until, writeConfig } from './common.js';
import { pm2Binary, pm2Session, type Pm2 } from './pm2.js';
import { writeReport, type Figure } from './report.js';
import { numberFlag, summarize, type Summary } from './stats.js';

const argv = process.argv.slice(2);
const SECONDS = numberFlag(argv, '--seconds', 30);
const APPS = numberFlag(argv, '--apps', 50);
const WITH_PM2 = !argv.includes('--no-pm2');
const WITH_COLUMNS = argv.includes('--plugin-columns');

/** The config with a plugin that declares a column of every instance and a panel. */
function withColumnsPlugin(file: string): void {
  const plugin = `{ name: 'look', columns: [{ id: 'state', header: 'STATE', width: 8, value: (info) => info.state.status + ' ' + info.state.restarts }], panels: [{ id: 'count', title: 'Count', key: 'C', lines: (all) => [String(all.length)] }] }`;
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\};\n$/, `, plugins: [${plugin}] };\n`));
}
const SLICES = 3;
const FOREVER = fixture('forever.js');

/** The process in a tmux pane whose command line contains `marker`: the pane's own, or a descendant. */
function paneProcess(tmux: Tmux, marker: string): number | undefined {
  const queue = [Number(tmux.run('display-message', '-p', '-t', 'main', '#{pane_pid}').trim())];
  for (let seen = 0; queue.length > 0 && seen < 50; seen++) {
    const pid = queue.shift() ?? 0;
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes(marker)) return pid;
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    if (children !== '') queue.push(...children.split(/\s+/).map(Number));
  }
  return undefined;
}

async function inTmux(command: string, cwd: string, marker: string): Promise<{ tmux: Tmux; pid: number }> {
  Tmux.check();
  const tmux = new Tmux();
  tmux.start(command, { cwd, columns: 120, rows: 40 });
  let pid: number | undefined;
  await until(() => (pid = paneProcess(tmux, marker)) !== undefined, 20_000, `${marker} in tmux`, 50);
  return { tmux, pid: pid ?? 0 };
}

interface Watched {
  readonly supervisor?: number;
  readonly apps: readonly number[];
}

interface Measured {
  /** CPU % of a core per slice of the window, and RSS MiB at the end of each slice. */
  readonly supervisorCpu: number[];
  readonly supervisorRss: number[];
  /** Per app: CPU % of a core over the whole window, RSS MiB at its end. */
  readonly appCpu: number[];
  readonly appRss: number[];
}

async function watch(groups: ReadonlyMap<string, Watched>): Promise<Map<string, Measured>> {
  const out = new Map<string, Measured>([...groups.keys()].map((name) => [name, { supervisorCpu: [], supervisorRss: [], appCpu: [], appRss: [] }]));
  const appsAtStart = new Map([...groups].map(([name, g]) => [name, g.apps.map((pid) => procStat(pid)?.cpuMs ?? 0)]));
  const windowStart = performance.now();
  for (let slice = 0; slice < SLICES; slice++) {
    const before = new Map([...groups].map(([name, g]) => [name, g.supervisor ? cpuMsOf([g.supervisor]) : 0]));
    const t0 = performance.now();
    await sleep((SECONDS * 1000) / SLICES);
    const elapsed = performance.now() - t0;
    for (const [name, g] of groups) {
      if (!g.supervisor) continue;
      const m = out.get(name);
      m?.supervisorCpu.push(((cpuMsOf([g.supervisor]) - (before.get(name) ?? 0)) / elapsed) * 100);
      m?.supervisorRss.push(procStat(g.supervisor)?.rssMiB ?? NaN);
    }
  }
  const window = performance.now() - windowStart;
  for (const [name, g] of groups) {
    const start = appsAtStart.get(name) ?? [];
    const m = out.get(name);
    g.apps.forEach((pid, i) => {
      const now = procStat(pid);
      m?.appCpu.push((((now?.cpuMs ?? NaN) - (start[i] ?? 0)) / window) * 100);
      m?.appRss.push(now?.rssMiB ?? NaN);
    });
  }
  return out;
}

function bareApps(): Promise<ChildProcess[]> {
  const children = Array.from({ length: APPS }, () => spawn(process.execPath, [FOREVER], { stdio: ['ignore', 'pipe', 'ignore'] }));
  return Promise.all(children.map((child) => new Promise<ChildProcess>((resolve) => child.stdout?.once('data', () => resolve(child)))));
}

function figures(m: ReadonlyMap<string, Measured>): Figure[] {
  const pick = (name: string, key: keyof Measured): Summary | undefined => {
    const values = m.get(name)?.[key];
    return values && values.length > 0 ? summarize(values) : undefined;
  };
  const withPm2 = (s: Summary | undefined): { pm2?: Summary } => (s ? { pm2: s } : {});
  const list: Figure[] = [];
  const push = (f: Omit<Figure, 'nodeUnit'>, nodeUnit: Summary | undefined): void => void (nodeUnit && list.push({ ...f, nodeUnit }));
  const supCpu = pick('node-unit', 'supervisorCpu');
  const supRss = pick('node-unit', 'supervisorRss');
  const tuiCpu = pick('node-unit TUI', 'supervisorCpu');
  const tuiRss = pick('node-unit TUI', 'supervisorRss');
  const columnsCpu = pick('node-unit TUI + columns', 'supervisorCpu');
  const attachCpu = pick('node-unit attach', 'supervisorCpu');
  const attachRss = pick('node-unit attach', 'supervisorRss');
  const monit = { cpu: withPm2(pick('pm2 monit', 'supervisorCpu')), rss: withPm2(pick('pm2 monit', 'supervisorRss')) };
  const appCpu = pick('node-unit', 'appCpu');
  const appRss = pick('node-unit', 'appRss');
  const bareCpu = pick('bare', 'appCpu');
  const bareRss = pick('bare', 'appRss');
  push({ id: 'idle.cpu', label: `supervisor idle CPU, ${APPS} apps, headless (% of a core)`, unit: '%', ...withPm2(pick('pm2', 'supervisorCpu')), goal: '≤ 0.3 %', met: (supCpu?.median ?? Infinity) <= 0.3 }, supCpu);
  push({ id: 'idle.rss', label: `supervisor RSS, ${APPS} apps, headless`, unit: 'MiB', ...withPm2(pick('pm2', 'supervisorRss')), goal: '≤ 45 MiB', met: (supRss?.median ?? Infinity) <= 45 }, supRss);
  push({ id: 'tui.cpu', label: `supervisor idle CPU with the TUI, ${APPS} apps (pm2: monit)`, unit: '%', ...monit.cpu, goal: '≤ 5 %', met: (tuiCpu?.median ?? Infinity) <= 5 }, tuiCpu);
  push({ id: 'tui.rss', label: `supervisor RSS with the TUI, ${APPS} apps (pm2: monit)`, unit: 'MiB', ...monit.rss, goal: '≤ 90 MiB', met: (tuiRss?.median ?? Infinity) <= 90 }, tuiRss);
  push({ id: 'tui.columns.cpu', label: `supervisor idle CPU with the TUI and a plugin column, ${APPS} apps (pm2: monit)`, unit: '%', ...monit.cpu, goal: '≤ 3 %', met: (columnsCpu?.median ?? Infinity) <= 3 }, columnsCpu);
  push({ id: 'attach.cpu', label: `idle CPU of node-unit attach (the TUI alone), ${APPS} apps (pm2: monit)`, unit: '%', ...monit.cpu, goal: '≤ 5 %', met: (attachCpu?.median ?? Infinity) <= 5 }, attachCpu);
  push({ id: 'attach.rss', label: `RSS of node-unit attach (the TUI alone), ${APPS} apps (pm2: monit)`, unit: 'MiB', ...monit.rss, goal: '≤ 90 MiB', met: (attachRss?.median ?? Infinity) <= 90 }, attachRss);
  if (bareCpu) push({ id: 'apps.cpu', label: 'CPU inside each idle app (% of a core)', unit: '%', ...withPm2(pick('pm2', 'appCpu')), floor: bareCpu, floorLabel: 'the same app, bare', goal: '+0 (≤ bare + 0.05 %)', met: (appCpu?.median ?? Infinity) <= bareCpu.median + 0.05 }, appCpu);
  if (bareRss) push({ id: 'apps.rss', label: 'RSS of each idle app', unit: 'MiB', ...withPm2(pick('pm2', 'appRss')), floor: bareRss, floorLabel: 'the same app, bare', goal: '+0 (≤ bare + 1 MiB)', met: (appRss?.median ?? Infinity) <= bareRss.median + 1 }, appRss);
  return list;
}

/** `up` with its TUI on the apps under a plugin with a column; its supervisor's pid. */
async function upWithColumns(apps: readonly Record<string, unknown>[], cleanups: (() => Promise<void> | void)[]): Promise<number> {
  const dir = tmp();
  withColumnsPlugin(writeConfig(dir, apps.map((app) => ({ ...app, name: `c-${String(app.name)}` }))));
  const up = await inTmux(`env -u CI ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} up`, dir, 'node-unit.js');
  cleanups.push(async () => {
    up.tmux.keys('q');
    await until(() => procStat(up.pid) === undefined || fs.readFileSync(`/proc/${up.pid}/stat`, 'utf8').includes(') Z'), 30_000, 'the columns supervisor to exit', 50).catch(() => undefined);
    up.tmux.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await up.tmux.waitScreen((screen) => screen.includes(`${APPS} online`) && screen.includes('STATE'), 'the columns TUI with every app online', 60_000);
  return up.pid;
}

async function main(): Promise<void> {
  const apps = Array.from({ length: APPS }, (_, i) => ({ name: `app${i}`, script: FOREVER, kill_timeout: 1000 }));
  const headlessDir = tmp();
  const tuiDir = tmp();
  writeConfig(headlessDir, apps);
  writeConfig(tuiDir, apps);
  const bin = WITH_PM2 ? pm2Binary() : undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    const bare = await bareApps();
    cleanups.push(() => Promise.all(bare.map((child) => stopChild(child))).then(() => undefined));
    const headless = await startNodeUnit(headlessDir, APPS);
    cleanups.push(headless.stop);
    const tui = await inTmux(`env -u CI ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} up`, tuiDir, 'node-unit.js');
    cleanups.push(async () => {
      tui.tmux.keys('q');
      await until(() => procStat(tui.pid) === undefined || fs.readFileSync(`/proc/${tui.pid}/stat`, 'utf8').includes(') Z'), 30_000, 'the TUI supervisor to exit', 50).catch(() => undefined);
      tui.tmux.kill();
    });
    await until(async () => (await nodeUnitAppPids(tuiDir)).length === APPS, 60_000, `${APPS} apps online under the TUI`, 50);
    const attach = await inTmux(`env -u CI ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} attach`, tuiDir, 'node-unit.js');
    cleanups.push(() => attach.tmux.kill());
    await attach.tmux.waitScreen((screen) => screen.includes(`${APPS} online`), 'node-unit attach to show every app online', 30_000);
    const columns = WITH_COLUMNS ? await upWithColumns(apps, cleanups) : undefined;
    const groups = new Map<string, Watched>([
      ['bare', { apps: bare.map((child) => child.pid ?? 0) }],
      ['node-unit', { supervisor: headless.child.pid ?? 0, apps: await headless.appPids() }],
      ['node-unit TUI', { supervisor: tui.pid, apps: [] }],
      ['node-unit attach', { supervisor: attach.pid, apps: [] }],
      ...(columns === undefined ? [] : [['node-unit TUI + columns', { supervisor: columns, apps: [] }] as const]),
    ]);
    let pm2: Pm2 | undefined;
    if (bin) {
      pm2 = pm2Session(bin);
      const session = pm2;
      cleanups.push(() => session.kill());
      await pm2StartAll(session, path.join(headlessDir, 'ecosystem.config.cjs'), APPS);
      const monit = await inTmux(`env PM2_HOME=${JSON.stringify(session.home)} ${JSON.stringify(bin)} monit`, headlessDir, 'monit');
      cleanups.push(() => monit.tmux.kill());
      groups.set('pm2', { supervisor: pm2DaemonPid(session), apps: pm2OnlinePids(session) });
      groups.set('pm2 monit', { supervisor: monit.pid, apps: [] });
    }
    await sleep(3000); // let start-up work (first metrics, first frames) settle before the window opens
    const measured = await watch(groups);
    for (const [name, m] of measured) {
      const f = (values: number[], digits: number): string => (values.length ? summarize(values).median.toFixed(digits) : '-');
      console.log(`${name.padEnd(16)} supervisor CPU ${f(m.supervisorCpu, 2)} %  RSS ${f(m.supervisorRss, 1)} MiB   per app: CPU ${f(m.appCpu, 3)} %  RSS ${f(m.appRss, 1)} MiB`);
    }
    writeReport(argv, { bench: 'idle', figures: figures(measured), notes: [`idle: all groups ran side by side over one ${SECONDS} s window (${SLICES} slices); supervisor = the node-unit process or the pm2 daemon / pm2 monit process`] });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    fs.rmSync(headlessDir, { recursive: true, force: true });
    fs.rmSync(tuiDir, { recursive: true, force: true });
  }
}

await main();
