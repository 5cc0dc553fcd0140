/**
 * Soak: `npm run soak -- --minutes 3`. Runs `node-unit up` on apps that crash at random and flood their
 * logs while restarts arrive through the socket and the CLI, then reports the supervisor's RSS and open-fd
 * growth from a warmed-up baseline to the end (goals: < 10 % RSS, 0 fds). Bounded in time; not part of CI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { connectControl, type ControlClient } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import { CLI } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { cpuSeconds, fdKinds, fdKindsDiff, fdsInUse, guardMarkerOf, markedProcesses, rssBytes } from './procs.js';
import { emptyCounts, runChaos, type ChaosCounts } from './soak-chaos.js';
import { CRASHERS, STEADY, writeSoakProject } from './soak-project.js';

const RSS_GOAL = 0.1;
const MIB = 1024 * 1024;

function option(name: string, fallback: number, min: number, max: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name}: expected a number from ${min} to ${max}, got ${process.argv[index + 1] ?? 'nothing'}`);
  return value;
}

interface Quiet {
  readonly rss: number;
  readonly fds: number;
  readonly kinds: ReadonlyMap<string, number>;
}

/** The supervisor under test, so a failed soak does not leave it running. */
let supervisor: ChildProcess | undefined;

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * The supervisor's RSS and fds with only the steady apps running, so both ends of the run are measured with
 * the same processes (and so the same pipes) alive: medians of 9 samples over about 2 s.
 */
async function quietSample(client: ControlClient, pid: number): Promise<Quiet> {
  const moving = [...CRASHERS, 'river', 'burst'];
  for (const name of moving) await client.stop(name);
  await waitFor(async () => (await client.list()).every((info) => (moving.some((name) => info.id.startsWith(`${name}:`)) ? info.state.status === 'stopped' : info.state.status === 'online')), {
    timeoutMs: 30_000,
    what: 'the moving apps to stop',
  });
  const rss: number[] = [];
  const fds: number[] = [];
  for (let i = 0; i < 9; i++) {
    rss.push(rssBytes(pid));
    fds.push(fdsInUse(pid));
    await delay(250);
  }
  const kinds = fdKinds(pid);
  for (const name of moving) await client.start(name);
  return { rss: median(rss), fds: median(fds), kinds };
}

async function chaosFor(ms: number, client: ControlClient, socketPath: string, dir: string, counts: ChaosCounts, peaks: { rss: number; fds: number }, pid: number): Promise<void> {
  const stop = new AbortController();
  const sampler = setInterval(() => {
    peaks.rss = Math.max(peaks.rss, rssBytes(pid));
    peaks.fds = Math.max(peaks.fds, fdsInUse(pid));
  }, 1000);
  const timer = setTimeout(() => stop.abort(), ms);
  await runChaos(client, socketPath, dir, stop.signal, counts);
  clearTimeout(timer);
  clearInterval(sampler);
}

async function main(): Promise<number> {
  const minutes = option('minutes', 3, 0.5, 120);
  const warmupMs = Math.min(30_000, minutes * 60_000 * 0.2);
  const dir = writeSoakProject();
  const up = spawn(process.execPath, [CLI, 'up'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  supervisor = up;
  let stderr = '';
  up.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => up.once('exit', (code) => resolve(code)));
  const hardStop = setTimeout(() => {
    process.stderr.write('soak: over its time limit, killing the supervisor\n');
    up.kill('SIGKILL');
    process.exit(2);
  }, minutes * 60_000 + 120_000);
  const pid = up.pid ?? 0;
  const socketPath = controlSocketPath(path.join(dir, '.node-unit'));
  const client = await waitFor(() => connectControl(socketPath).catch(() => undefined), { timeoutMs: 30_000, what: 'the control socket' });
  await waitFor(async () => (await client.list()).filter((info) => STEADY.some((name) => info.id === `${name}:0`) && info.state.status === 'online').length === STEADY.length, { timeoutMs: 30_000, what: 'the steady apps' });
  const marker = guardMarkerOf((await client.list()).flatMap((info) => ('pid' in info.state ? [info.state.pid] : []))[0] ?? 0);

  const counts = emptyCounts();
  const peaks = { rss: 0, fds: 0 };
  const cpuStart = cpuSeconds(pid);
  console.log(`soak: ${minutes} min, warm-up ${(warmupMs / 1000).toFixed(0)} s, supervisor pid ${pid}, project ${dir}`);
  await chaosFor(warmupMs, client, socketPath, dir, counts, peaks, pid);
  const baseline = await quietSample(client, pid);
  const mainMs = minutes * 60_000 - warmupMs;
  await chaosFor(mainMs, client, socketPath, dir, counts, peaks, pid);
  const end = await quietSample(client, pid);
  const cpu = cpuSeconds(pid) - cpuStart;
  const restarts = (await client.list()).reduce((sum, info) => sum + ('restarts' in info.state ? info.state.restarts : 0), 0);
  await client.close();

  up.kill('SIGTERM');
  const code = await exited;
  clearTimeout(hardStop);
  const leftovers = marker === undefined ? [] : markedProcesses(marker);
  const rssGrowth = (end.rss - baseline.rss) / baseline.rss;
  const fdGrowth = end.fds - baseline.fds;
  const lines = [
    `chaos: ${counts.socketRestarts} restarts via the socket, ${counts.cliCommands} CLI commands (${counts.cliFailures} failed), ${counts.shortClients} one-shot clients, ${counts.subscriptions} subscriptions, ${counts.logReads} log reads`,
    `supervisor: ${restarts} restarts counted at the end, ${cpu.toFixed(1)} CPU s (${((100 * cpu) / (minutes * 60)).toFixed(1)} % of a core), exit code ${code ?? 'none'} after SIGTERM, ${leftovers.length} managed processes left`,
    `RSS: baseline ${(baseline.rss / MIB).toFixed(1)} MiB → end ${(end.rss / MIB).toFixed(1)} MiB (${(100 * rssGrowth).toFixed(1)} %), peak ${(peaks.rss / MIB).toFixed(1)} MiB — goal < 10 %: ${rssGrowth < RSS_GOAL ? 'met' : 'NOT met'}`,
    `open fds (without the pipe pool's spare pipes): baseline ${baseline.fds} → end ${end.fds} (${fdGrowth >= 0 ? '+' : ''}${fdGrowth}), peak ${peaks.fds} — goal 0: ${fdGrowth <= 0 ? 'met' : 'NOT met'}; changed: ${fdKindsDiff(baseline.kinds, end.kinds)}`,
  ];
  console.log(lines.join('\n'));
  if (counts.errors.length > 0) console.log(`chaos errors (first ${counts.errors.length}):\n  ${counts.errors.join('\n  ')}`);
  if (stderr.trim() !== '') console.log(`supervisor stderr (tail):\n${stderr}`);
  const ok = rssGrowth < RSS_GOAL && fdGrowth <= 0 && code === 0 && leftovers.length === 0 && counts.cliFailures === 0;
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? error.message : String(error)}\n`);
    supervisor?.kill('SIGTERM');
    process.exit(2);
  },
);
