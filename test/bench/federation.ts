/**
 * Federation benchmark, in one run: handshake time (p50 / p99, goal p99 ≤ 30 ms on loopback), sealed
 * throughput of 16 KiB frames beside raw ws frames (goal ≥ 50 MB/s), a master's `ls` round trip and CPU
 * during a flood of 1,000 unknown-key HELLOs a second (goal: ls p99 ≤ 2× its quiet value), and, with a
 * master and a worker as real `node-unit up` processes: restart of a remote app beside a local one (p50 /
 * p99, goal remote − local ≤ 5 ms at p50) and `logs -f --node w` of a log flood beside a local `logs -f` of
 * the same flood (goal ≥ 50 MB/s and ≥ 0.5× local: MB/s printed over the whole flood, with the share of its
 * lines printed, the rest dropped and counted). The flood masters are real `node-unit up`s.
 * Run: npm run build && node dist/test/bench/federation.js [--handshakes 200] [--megabytes 64] [--seconds 5]
 *   [--ops 100] [--flood-megabytes 64] [--flood-runs 2] [--json FILE]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nacl from 'tweetnacl';
import { WebSocket, WebSocketServer } from 'ws';
import { connectControl } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import { AuditLog } from '../../plugins/federation/audit.js';
import { nodeCryptoOps } from '../../plugins/federation/crypto.js';
import { dial } from '../../plugins/federation/dial.js';
import { FrameOpener, FrameSealer } from '../../plugins/federation/frames.js';
import { encodeHello, SUBPROTOCOL } from '../../plugins/federation/handshake-wire.js';
import { federationDir, loadOrCreateIdentity } from '../../plugins/federation/identity.js';
import { issueInvite } from '../../plugins/federation/invite.js';
import { joinMaster } from '../../plugins/federation/join.js';
import { DEFAULT_LIMITS } from '../../plugins/federation/limits.js';
import { Master } from '../../plugins/federation/master.js';
import { PeerStore } from '../../plugins/federation/store.js';
import { mark } from '../../plugins/federation/trace.js';
import { freePort } from '../plugins/federation/mesh-nodes.js';
import { floodAlone, startMesh, viewFlood, type Mesh, type Viewed } from './mesh-procs.js';
import { writeReport, single, type Figure } from './report.js';
import { numberFlag, summarize } from './stats.js';

const ROOT = process.cwd();
const argv = process.argv.slice(2);
const HANDSHAKES = numberFlag(argv, '--handshakes', 200);
const MEGABYTES = numberFlag(argv, '--megabytes', 64);
const SECONDS = numberFlag(argv, '--seconds', 5);
const FRAME = 16 * 1024;
const OPS = numberFlag(argv, '--ops', 100);
/** The pause before each restart of the restart row (see restarts). */
const SETTLE_MS = numberFlag(argv, '--settle-ms', 250);
const FLOOD_MEGABYTES = numberFlag(argv, '--flood-megabytes', 64);
const FLOOD_RUNS = numberFlag(argv, '--flood-runs', 2);
const LINE_BYTES = 200;
const MIB = 1024 * 1024;

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function handshakes(): Promise<readonly number[]> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-fed-'));
  const dir = federationDir(stateDir);
  const identity = loadOrCreateIdentity(stateDir);
  const store = new PeerStore(dir);
  const unlimited = { burst: 1e9, perSecond: 1e9 };
  const master = new Master({ identity, store, audit: new AuditLog(dir), limits: { ...DEFAULT_LIMITS, helloPerAddress: unlimited, helloPerKey: unlimited, signatures: unlimited }, name: 'bench' });
  const port = await master.listen(0, '127.0.0.1');
  const workerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-fedw-'));
  const worker = loadOrCreateIdentity(workerDir);
  await joinMaster(issueInvite(store, identity.publicKey, `127.0.0.1:${port}`, { name: 'w', labels: {}, ttlSeconds: 60 }).token, worker, federationDir(workerDir));
  const times: number[] = [];
  for (let i = 0; i < HANDSHAKES; i++) {
    const started = performance.now();
    const { session } = await dial({
      url: `ws://127.0.0.1:${port}`,
      client: { publicKey: worker.publicKey, secretKey: worker.secretKey, masterKey: identity.publicKey },
      ops: nodeCryptoOps,
      random: nacl.randomBytes,
      deadlineMs: 5000,
      rates: DEFAULT_LIMITS,
      now: () => performance.now(),
      onMessage: () => undefined,
      onMalformed: () => undefined,
      onEnd: () => undefined,
    });
    times.push(performance.now() - started);
    session.end('closed', 'bench', 1000);
  }
  await master.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
  fs.rmSync(workerDir, { recursive: true, force: true });
  return times;
}

/**
 * MB/s of 16 KiB frames over loopback ws, sealed (seal + open) or raw. As in a mesh, the sender (a worker)
 * is another process from the receiver (the master): each seals or opens on its own core.
 */
async function throughput(sealed: boolean): Promise<number> {
  const key = nacl.randomBytes(32);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: FRAME + 64 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const frames = Math.ceil((MEGABYTES * 1024 * 1024) / FRAME);
  let started = 0;
  const received = new Promise<void>((resolve, reject) =>
    wss.once('connection', (ws) => {
      const opener = new FrameOpener(new Uint8Array(key));
      let count = 0;
      ws.on('message', (data: Buffer) => {
        if (count === 0) started = performance.now();
        if (sealed && !opener.open(data).ok) reject(new Error('a frame did not open'));
        if (++count === frames) resolve();
      });
    }),
  );
  const sender = spawn(process.execPath, [process.argv[1] ?? '', '--send', String(port), sealed ? 'sealed' : 'raw', String(frames), Buffer.from(key).toString('hex')], { stdio: ['ignore', 'ignore', 'inherit'] });
  await received;
  const seconds = (performance.now() - started) / 1000;
  sender.kill('SIGKILL');
  await new Promise((resolve) => wss.close(resolve));
  return ((frames - 1) * FRAME) / 1024 / 1024 / seconds;
}

/** The sending child of `throughput`: `frames` frames of 16 KiB, sealed with `keyHex` or raw. */
async function send(port: number, mode: string, frames: number, keyHex: string): Promise<void> {
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  await new Promise((resolve) => client.once('open', resolve));
  const sealer = new FrameSealer(new Uint8Array(Buffer.from(keyHex, 'hex')));
  const payload = nacl.randomBytes(FRAME);
  for (let i = 0; i < frames; i++) {
    client.send(mode === 'sealed' ? (sealer.seal(payload) ?? payload) : payload, { binary: true });
    if (client.bufferedAmount > 8 * 1024 * 1024) await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise<void>(() => undefined);
}

/** One masked binary ws frame from a client, as RFC 6455 writes it. */
function clientFrame(payload: Uint8Array): Buffer {
  const head = payload.length < 126 ? Buffer.from([0x82, 0x80 | payload.length]) : Buffer.from([0x82, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const mask = nacl.randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([head, mask, body]);
}

/**
 * The flood child: unknown-key HELLOs at `rate` a second for `seconds`, written on raw sockets as a cheap
 * flooder would (an upgrade request and the HELLO frame in one write), so that on a 2-core machine the
 * flooder's own work does not stand in for the master's.
 */
async function flood(port: number, rate: number, seconds: number): Promise<void> {
  const end = performance.now() + seconds * 1000;
  const request = `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.from(nacl.randomBytes(16)).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${SUBPROTOCOL}\r\n\r\n`;
  let sent = 0;
  let answered = 0;
  let dropped = 0;
  const tick = (): void => {
    const due = Math.floor(((performance.now() - (end - seconds * 1000)) / 1000) * rate) - sent;
    for (let i = 0; i < due; i++) {
      sent++;
      const hello = encodeHello({ vmin: 1, vmax: 1, mode: 'session', clientKey: nacl.randomBytes(32), ephemeral: nacl.randomBytes(32), nonce: nacl.randomBytes(32), inviteKey: undefined });
      const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from(request), clientFrame(hello)])));
      let upgraded = false;
      socket.on('data', () => (upgraded = true));
      socket.on('error', () => undefined);
      socket.once('close', () => (upgraded ? answered++ : dropped++));
    }
    if (performance.now() < end) setTimeout(tick, 5);
    else
      setTimeout(() => {
        process.stdout.write(`${JSON.stringify({ sent, answered, dropped })}\n`);
        process.exit(0);
      }, 500);
  };
  tick();
}

async function lsTimes(socket: string, seconds: number): Promise<number[]> {
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const started = performance.now();
    const client = await connectControl(socket);
    await client.list();
    times.push(performance.now() - started);
    await client.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return times;
}

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function floodPart(): Promise<{ quiet: number[]; flooded: number[]; cpuPercent: number; counts: string }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-fedm-'));
  fs.writeFileSync(
    path.join(dir, 'ecosystem.config.mjs'),
    `import { federation } from 'node-unit/federation';\nexport default { apps: [{ name: 'api', script: ${JSON.stringify(path.join(ROOT, 'test', 'fixtures', 'procs', 'forever.js'))} }], plugins: [federation({ listen: '127.0.0.1:${port}' })] };\n`,
  );
  const master = spawn(process.execPath, [path.join(ROOT, 'bin', 'node-unit.js'), 'up'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  master.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const socket = controlSocketPath(path.join(dir, '.node-unit'));
  const deadline = Date.now() + 20_000;
  while (!/federation: master/.test(output)) {
    if (Date.now() > deadline) throw new Error(`the master did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let child: ChildProcess | undefined;
  try {
    const quiet = await lsTimes(socket, SECONDS);
    const pid = master.pid ?? 0;
    const cpuBefore = cpuSeconds(pid);
    const started = performance.now();
    child = spawn(process.execPath, [process.argv[1] ?? '', '--flood', String(port), '1000', String(SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let counts = '';
    child.stdout?.on('data', (chunk: Buffer) => (counts += chunk.toString()));
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    const flooded = await lsTimes(socket, SECONDS);
    const cpuPercent = ((cpuSeconds(pid) - cpuBefore) / ((performance.now() - started) / 1000)) * 100;
    await exited;
    return { quiet, flooded, cpuPercent, counts: counts.trim() };
  } finally {
    child?.kill('SIGKILL');
    master.kill('SIGTERM');
    await new Promise((resolve) => master.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Restarts of `api`, local and on the worker through the master, alternated: milliseconds each. Each starts
 * SETTLE_MS after the one before, so that neither meets the other's new process still booting on the same
 * two cores (back to back, the remote one always began as the master's own `api` booted, the local one
 * after the master had only relayed). With NODE_UNIT_FED_TRACE=<file> every hop of each remote restart is
 * marked there (fed-trace.ts reads it).
 */
async function restarts(mesh: Mesh): Promise<{ readonly local: number[]; readonly remote: number[] }> {
  const local: number[] = [];
  const remote: number[] = [];
  for (let i = 0; i < OPS; i++) {
    await delay(SETTLE_MS);
    let started = performance.now();
    const own = await mesh.master.client.restart('api');
    local.push(performance.now() - started);
    await delay(SETTLE_MS);
    started = performance.now();
    mark('client.send');
    const routed = await mesh.master.client.callPlugin('federation', 'run', { node: 'w', command: { verb: 'restart', target: 'api' } });
    mark('client.got');
    remote.push(performance.now() - started);
    const outcome: unknown = Array.isArray(routed) ? routed[0] : undefined;
    if (!own.ok || typeof outcome !== 'object' || outcome === null || !('status' in outcome) || outcome.status !== 'ok') throw new Error(`restart failed: local ${JSON.stringify(own)}, remote ${JSON.stringify(routed)}`);
  }
  return { local, remote };
}

interface FloodRates {
  /** MB/s of lines printed over the whole flood: from asking the app to start to the last line printed. */
  readonly delivered: number[];
  /** MB/s of lines printed from the first to the last: what the path did while saturated. */
  readonly saturated: number[];
  /** Share of the flood's lines printed (the rest was dropped, counted in markers). */
  readonly share: number[];
}

const MB = 1_000_000;

/**
 * A `logs -f` viewer on the master, local and `--node w`, alternated, each of a flood it is not expected to
 * keep up with: lines a slow path cannot carry are dropped (and counted), so lines printed per second while
 * saturated says little alone. Reported: MB/s printed over the whole flood, the share of lines printed, and
 * the saturated rate.
 */
async function floods(mesh: Mesh, lines: number): Promise<{ readonly local: FloodRates; readonly remote: FloodRates; readonly alone: number[]; readonly notes: string[] }> {
  const alone: number[] = [];
  const local: FloodRates = { delivered: [], saturated: [], share: [] };
  const remote: FloodRates = { delivered: [], saturated: [], share: [] };
  const notes: string[] = [];
  const record = (into: FloodRates, viewed: Viewed): void => {
    into.delivered.push((viewed.lines * LINE_BYTES) / MB / viewed.wholeSeconds);
    into.saturated.push((viewed.lines * LINE_BYTES) / MB / viewed.seconds);
    into.share.push(viewed.lines / lines);
  };
  // CPU per MB printed says where a 2-core machine's time goes, whatever else runs on it.
  const perMegabyte = (seconds: number, viewed: Viewed): string => `${((1000 * seconds) / Math.max(0.001, (viewed.lines * LINE_BYTES) / MB)).toFixed(0)}`;
  const describe = (viewed: Viewed): string =>
    `${viewed.lines} lines printed (${((100 * viewed.lines) / lines).toFixed(0)} %) in ${viewed.wholeSeconds.toFixed(2)} s from the start, ${viewed.seconds.toFixed(2)} s from the first line, ${viewed.dropped} dropped; CPU ms per MB printed: master ${perMegabyte(viewed.cpu.master, viewed)}, worker ${perMegabyte(viewed.cpu.worker, viewed)}, viewer ${perMegabyte(viewed.cpu.viewer, viewed)}`;
  for (let i = 1; i <= FLOOD_RUNS; i++) {
    const app = `flood-${i}`;
    const here = await viewFlood(mesh, app, undefined, () => mesh.master.client.start(app), lines, 60_000);
    const there = await viewFlood(mesh, app, 'w', () => mesh.worker.client.start(app), lines, 60_000);
    record(local, here);
    record(remote, there);
    alone.push((lines * LINE_BYTES) / MB / (await floodAlone(mesh, `flood-${FLOOD_RUNS + i}`, 60_000)));
    notes.push(`run ${i} (load ${os.loadavg()[0]?.toFixed(1)}): local ${describe(here)}; remote ${describe(there)}`);
  }
  return { local, remote, alone, notes };
}

async function meshPart(): Promise<{ readonly restart: Awaited<ReturnType<typeof restarts>>; readonly flood: Awaited<ReturnType<typeof floods>>; readonly lines: number }> {
  const lines = Math.ceil((FLOOD_MEGABYTES * MIB) / LINE_BYTES);
  const mesh = await startMesh(await freePort(), 2 * FLOOD_RUNS, lines, LINE_BYTES);
  try {
    return { restart: await restarts(mesh), flood: await floods(mesh, lines), lines };
  } finally {
    await mesh.close();
  }
}

function meshFigures(part: Awaited<ReturnType<typeof meshPart>>): Figure[] {
  const { restart, flood } = part;
  const [localP50, remoteP50] = [percentile(restart.local, 50), percentile(restart.remote, 50)];
  const [localRate, remoteRate] = [summarize(flood.local.delivered), summarize(flood.remote.delivered)];
  const [localShare, remoteShare] = [summarize(flood.local.share).median, summarize(flood.remote.share).median];
  const [localSaturated, remoteSaturated] = [summarize(flood.local.saturated).median, summarize(flood.remote.saturated).median];
  process.stdout.write(`restart api (${OPS}): local p50 ${localP50.toFixed(2)} ms p99 ${percentile(restart.local, 99).toFixed(2)} ms, remote p50 ${remoteP50.toFixed(2)} ms p99 ${percentile(restart.remote, 99).toFixed(2)} ms\n`);
  process.stdout.write(
    `the flood alone through the worker's up: ${summarize(flood.alone).median.toFixed(1)} MB/s\nlogs -f of a ${FLOOD_MEGABYTES} MiB flood (${part.lines} lines of ${LINE_BYTES} bytes), printed over the whole flood: local ${localRate.median.toFixed(1)} MB/s (${(100 * localShare).toFixed(0)} % of lines; ${localSaturated.toFixed(1)} MB/s while saturated), --node w (sealed) ${remoteRate.median.toFixed(1)} MB/s (${(100 * remoteShare).toFixed(0)} % of lines; ${remoteSaturated.toFixed(1)} MB/s while saturated)\n${flood.notes.join('\n')}\n`,
  );
  return [
    { id: 'fed.restart.p50', label: `restart, remote (--node w) beside local, p50 of ${OPS}`, unit: 'ms', nodeUnit: single(remoteP50), floor: single(localP50), floorLabel: 'local restart p50', goal: 'remote − local ≤ 5 ms', met: remoteP50 - localP50 <= 5 },
    { id: 'fed.restart.p99', label: `restart, remote (--node w) beside local, p99 of ${OPS}`, unit: 'ms', nodeUnit: single(percentile(restart.remote, 99)), floor: single(percentile(restart.local, 99)), floorLabel: 'local restart p99' },
    { id: 'fed.logs.source', label: `the same ${FLOOD_MEGABYTES} MiB flood through the worker's up with nobody following it (no follower can print faster)`, unit: 'MB/s', nodeUnit: summarize(flood.alone), higherIsBetter: true },
    { id: 'fed.logs.follow', label: `logs -f --node w of a ${FLOOD_MEGABYTES} MiB flood (sealed), MB/s printed over the whole flood (${(100 * remoteShare).toFixed(0)} % of lines; local ${(100 * localShare).toFixed(0)} %)`, unit: 'MB/s', nodeUnit: remoteRate, floor: localRate, floorLabel: 'local logs -f of the same flood', goal: '≥ 50 MB/s and ≥ 0.5× local', met: remoteRate.median >= 50 && remoteRate.median >= 0.5 * localRate.median, higherIsBetter: true },
  ];
}

async function main(): Promise<void> {
  const floodAt = argv.indexOf('--flood');
  if (floodAt >= 0) return flood(Number(argv[floodAt + 1]), Number(argv[floodAt + 2]), Number(argv[floodAt + 3]));
  const sendAt = argv.indexOf('--send');
  if (sendAt >= 0) return send(Number(argv[sendAt + 1]), argv[sendAt + 2] ?? 'raw', Number(argv[sendAt + 3]), argv[sendAt + 4] ?? '');
  const times = await handshakes();
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  process.stdout.write(`handshake (${times.length}): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms\n`);
  const raw = [await throughput(false), await throughput(false), await throughput(false)];
  const sealed = [await throughput(true), await throughput(true), await throughput(true)];
  process.stdout.write(`16 KiB frames: sealed ${summarize(sealed).median.toFixed(0)} MB/s, raw ws ${summarize(raw).median.toFixed(0)} MB/s\n`);
  const flooded = await floodPart();
  const quietP99 = percentile(flooded.quiet, 99);
  const floodP99 = percentile(flooded.flooded, 99);
  process.stdout.write(`ls round trip p99: quiet ${quietP99.toFixed(1)} ms, during 1,000 HELLO/s ${floodP99.toFixed(1)} ms; master CPU during the flood ${flooded.cpuPercent.toFixed(0)} %; flood ${flooded.counts} (answered: upgraded, then closed by the master; dropped: closed at accept, before any HTTP)\n`);
  const mesh = await meshPart();
  const figures: Figure[] = [
    ...meshFigures(mesh),
    { id: 'fed.handshake.p50', label: 'federation handshake p50 (loopback)', unit: 'ms', nodeUnit: single(p50) },
    { id: 'fed.handshake.p99', label: 'federation handshake p99 (loopback)', unit: 'ms', nodeUnit: single(p99), goal: '≤ 30 ms', met: p99 <= 30 },
    { id: 'fed.sealed.16k', label: 'sealed 16 KiB frames', unit: 'MB/s', nodeUnit: summarize(sealed), floor: summarize(raw), floorLabel: 'raw ws frames', goal: '≥ 50 MB/s', met: summarize(sealed).median >= 50, higherIsBetter: true },
    { id: 'fed.flood.ls.p99', label: 'ls round trip p99 during 1,000 unknown-key HELLO/s', unit: 'ms', nodeUnit: single(floodP99), floor: single(quietP99), floorLabel: 'ls p99 without the flood', goal: '≤ 2× quiet', met: floodP99 <= 2 * quietP99 },
    { id: 'fed.flood.cpu', label: 'master CPU during 1,000 unknown-key HELLO/s', unit: '%', nodeUnit: single(flooded.cpuPercent) },
  ];
  writeReport(argv, { bench: 'federation', figures, notes: [`The flood opens one ws per HELLO from 127.0.0.1: beyond 16 unauthenticated sockets per address they are refused at accept, and beyond 5 HELLO/s per address at HELLO; neither costs a signature or a DH. Flood counts: ${flooded.counts}.`, `logs -f floods (lines the viewer printed, lines its markers said were dropped): ${mesh.flood.notes.join('; ')}.`] });
}

await main();
