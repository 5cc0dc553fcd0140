import test, { type ExecutionContext } from 'ava';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { MARKER_NAME, reapLeftovers, recordPath, startOrphanGuard } from '../../src/supervisor/orphan-guard.js';
import { supervisorMarker } from '../../src/supervisor/marker.js';
import { readProcStat } from '../../src/util/proc.js';
import { isAlive } from '../helpers/proc.js';
import { FIXTURES, PROJECT_ROOT } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { killQuietly, scratchDir, startFixture, startTree } from './spawn-fixture.js';

interface Guarded {
  readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly stateDir: string;
  readonly watchdog: number;
  readonly roots: readonly number[];
  readonly pids: readonly number[];
  /** Waits for a line of output that starts with `prefix`. */
  line(prefix: string): Promise<string>;
}

function isGuardedInfo(value: unknown): value is { watchdog: number; roots: number[]; pids: number[] } {
  return typeof value === 'object' && value !== null && 'watchdog' in value && 'roots' in value && 'pids' in value && Array.isArray(value.pids) && Array.isArray(value.roots);
}

/** Starts guarded-supervisor.js and waits until every tree wrote its pids. Everything is killed at teardown. */
async function startGuarded(t: ExecutionContext, trees: number, stubborn = false, marked = false): Promise<Guarded> {
  const stateDir = scratchDir();
  const child = spawn(process.execPath, [path.join(FIXTURES, 'procs', 'guarded-supervisor.js'), stateDir, String(trees), ...(stubborn ? ['stubborn'] : []), ...(marked ? ['marked'] : [])], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const known: number[] = [];
  t.teardown(() => {
    killQuietly(child.pid ?? 0);
    for (const pid of known) killQuietly(pid);
  });
  const line = (prefix: string): Promise<string> =>
    waitFor(() => output.split('\n').find((l) => l.startsWith(prefix)), { timeoutMs: 15_000, what: `"${prefix}" from guarded-supervisor (output so far: ${output})` });
  const info: unknown = JSON.parse((await line('GUARDED ')).slice('GUARDED '.length));
  if (!isGuardedInfo(info)) throw new Error(`unexpected output: ${output}`);
  known.push(...info.pids, info.watchdog);
  return { child, stateDir, watchdog: info.watchdog, roots: info.roots, pids: info.pids, line };
}

async function allGone(pids: readonly number[], what: string, timeoutMs = 3000): Promise<void> {
  await waitFor(() => pids.every((pid) => !isAlive(pid)), { timeoutMs, what: `${what} (still alive: ${pids.filter(isAlive).join(', ')})` });
}

test.serial('SIGKILL of the supervisor: the watchdog kills every tree, group and escaped grandchild', async (t) => {
  const guarded = await startGuarded(t, 4, true);
  // Trees of 2, 3 (escaped grandchild), 2, 3 processes, plus one that ignores SIGTERM.
  t.is(guarded.pids.length, 2 + 3 + 2 + 3 + 1);
  t.true(guarded.pids.every(isAlive));
  guarded.child.kill('SIGKILL');
  await allGone(guarded.pids, 'every managed process to be gone');
  await allGone([guarded.watchdog], 'the watchdog to exit');
  t.pass();
});

test.serial('SIGKILL of the supervisor: a process it never got to track is found by the marker it inherited', async (t) => {
  const guarded = await startGuarded(t, 1, false, true);
  const markedPids = guarded.pids.filter((pid) => !guarded.roots.includes(pid) && !isDescendantOfRoots(pid, guarded.roots));
  t.true(markedPids.length >= 1);
  guarded.child.kill('SIGKILL');
  await allGone(guarded.pids, 'tracked and marked processes to be gone');
  t.pass();
});

function isDescendantOfRoots(pid: number, roots: readonly number[]): boolean {
  let current = readProcStat(pid);
  for (let depth = 0; current && depth < 10; depth++) {
    if (roots.includes(current.pid)) return true;
    current = readProcStat(current.ppid);
  }
  return false;
}

test('untracked trees are left alone when the supervisor dies', async (t) => {
  const guarded = await startGuarded(t, 2);
  // Tree 0 is [root, grandchild]; tree 1 is [root, grandchild, escaped grandchild].
  const keptTree = guarded.pids.slice(0, 2);
  const killedTree = guarded.pids.slice(2);
  guarded.child.stdin.write(`untrack ${guarded.roots[0] ?? 0}\n`);
  await guarded.line('UNTRACKED ');
  guarded.child.kill('SIGKILL');
  await allGone(killedTree, 'the tracked tree to be gone');
  await allGone([guarded.watchdog], 'the watchdog to exit');
  t.true(keptTree.every(isAlive), 'the untracked tree survives');
});

test('clean close: the watchdog exits and kills nothing; the record is removed', async (t) => {
  const guarded = await startGuarded(t, 2);
  t.true(fs.existsSync(recordPath(guarded.stateDir)));
  for (const root of guarded.roots) guarded.child.stdin.write(`untrack ${root}\n`);
  await guarded.line(`UNTRACKED ${guarded.roots.at(-1) ?? 0}`);
  guarded.child.stdin.write('close\n');
  await guarded.line('CLOSED');
  await allGone([guarded.watchdog], 'the watchdog to exit');
  t.true(guarded.pids.every(isAlive), 'nothing was killed');
  t.false(fs.existsSync(recordPath(guarded.stateDir)));
});

test('a state folder that can no longer be written: said once, nothing thrown, the process is still guarded and close succeeds', async (t) => {
  const stateDir = scratchDir();
  const errors: Error[] = [];
  const guard = startOrphanGuard({ stateDir, onError: (error) => errors.push(error) });
  // The folder is replaced by a regular file: every write of the record into it fails (also as root).
  fs.rmSync(stateDir, { recursive: true });
  fs.writeFileSync(stateDir, '');
  const app = startFixture(t, 'forever.js');
  guard.track(app.pid);
  await waitFor(() => errors.length > 0, { what: 'the failed write to be reported' });
  guard.untrack(app.pid);
  guard.track(app.pid);
  const watchdog = guard.watchdogPid ?? 0;
  t.true(isAlive(watchdog));
  guard.untrack(app.pid);
  await t.notThrowsAsync(guard.close());
  t.is(errors.length, 1, errors.map((error) => error.message).join('\n'));
  t.regex(errors[0]?.message ?? '', new RegExp(`cannot write the process record ${recordPath(stateDir)} \\(ENOTDIR.*\\); the watchdog still guards every process`));
  await allGone([watchdog], 'the watchdog to exit');
  t.true(isAlive(app.pid), 'nothing was killed');
});

test('clean close with processes still tracked keeps them in the record and still kills nothing', async (t) => {
  const guarded = await startGuarded(t, 1);
  guarded.child.stdin.write('close\n');
  await guarded.line('CLOSED');
  await allGone([guarded.watchdog], 'the watchdog to exit');
  t.true(guarded.pids.every(isAlive));
  const record: unknown = JSON.parse(fs.readFileSync(recordPath(guarded.stateDir), 'utf8'));
  t.like(record, { processes: [{ pid: guarded.roots[0] }] });
});

test('the record holds each tracked pid with its start time', async (t) => {
  const stateDir = scratchDir();
  const guard = startOrphanGuard({ stateDir });
  t.teardown(() => guard.close());
  const a = startFixture(t, 'forever.js');
  const b = startFixture(t, 'forever.js');
  guard.track(a.pid);
  guard.track(b.pid);
  guard.track(a.pid);
  const read = (): { readonly processes: readonly unknown[] } => JSON.parse(fs.readFileSync(recordPath(stateDir), 'utf8')) as { processes: unknown[] };
  const recordWith = (count: number): Promise<unknown> => waitFor(() => (read().processes.length === count ? read() : undefined), { what: `a record of ${count} processes` });
  t.deepEqual(await recordWith(2), {
    owner: { pid: process.pid, startTime: readProcStat(process.pid)?.startTime },
    processes: [
      { pid: a.pid, startTime: readProcStat(a.pid)?.startTime },
      { pid: b.pid, startTime: readProcStat(b.pid)?.startTime },
    ],
  });
  guard.untrack(a.pid);
  t.like(await recordWith(1), { processes: [{ pid: b.pid }] });
  guard.untrack(b.pid);
  await guard.close();
  t.false(fs.existsSync(recordPath(stateDir)));
  t.true(isAlive(a.pid) && isAlive(b.pid));
});

test('reapLeftovers: when supervisor and watchdog both died, the next start kills the recorded trees', async (t) => {
  const guarded = await startGuarded(t, 2);
  process.kill(guarded.watchdog, 'SIGKILL');
  await allGone([guarded.watchdog], 'the watchdog to die');
  guarded.child.kill('SIGKILL');
  await waitFor(() => guarded.child.exitCode !== null || guarded.child.signalCode !== null, { what: 'the supervisor to die' });
  t.true(guarded.pids.every(isAlive), 'nothing killed them yet');
  const reaped = await reapLeftovers(guarded.stateDir);
  t.deepEqual(reaped.map((entry) => entry.pid).sort(), [...guarded.pids].sort());
  t.true(reaped.every((entry) => entry.command.includes('node')));
  await allGone(guarded.pids, 'the reaped processes to be gone');
  t.false(fs.existsSync(recordPath(guarded.stateDir)));
  t.deepEqual(await reapLeftovers(guarded.stateDir), []);
});

function writeRecord(stateDir: string, processes: readonly { pid: number; startTime: number | undefined }[], owner = { pid: process.pid, startTime: -1 }): void {
  fs.writeFileSync(recordPath(stateDir), JSON.stringify({ owner, processes }));
}

test('reapLeftovers: recorded live groups are killed, also one that ignores SIGTERM', async (t) => {
  const stateDir = scratchDir();
  const tree = await startTree(t, true);
  const [root = 0] = tree;
  const stubborn = startFixture(t, 'ignore-term.js');
  await waitFor(() => fs.readFileSync(`/proc/${stubborn.pid}/cmdline`, 'utf8').includes('ignore-term'), { what: 'ignore-term.js to start' });
  writeRecord(stateDir, [
    { pid: root, startTime: readProcStat(root)?.startTime },
    { pid: stubborn.pid, startTime: readProcStat(stubborn.pid)?.startTime },
  ]);
  const reaped = await reapLeftovers(stateDir);
  t.deepEqual(reaped.map((entry) => entry.pid).sort(), [...tree, stubborn.pid].sort());
  t.true(reaped.some((entry) => entry.command.includes('ignore-term.js')));
  await allGone([...tree, stubborn.pid], 'the recorded trees to be gone');
});

test('reapLeftovers: members of a recorded group whose leader is gone are killed', async (t) => {
  const stateDir = scratchDir();
  const [root = 0, grandchild = 0] = await startTree(t, false);
  const startTime = readProcStat(root)?.startTime;
  process.kill(root, 'SIGKILL');
  await allGone([root], 'the group leader to die');
  t.is(readProcStat(grandchild)?.pgid, root);
  writeRecord(stateDir, [{ pid: root, startTime }]);
  const reaped = await reapLeftovers(stateDir);
  t.deepEqual(reaped.map((entry) => entry.pid), [grandchild]);
  await allGone([grandchild], 'the leaderless group to be gone');
});

test('reapLeftovers: a recorded pid whose start time does not match is left alone', async (t) => {
  const stateDir = scratchDir();
  const other = startFixture(t, 'forever.js');
  const startTime = readProcStat(other.pid)?.startTime ?? 0;
  writeRecord(stateDir, [{ pid: other.pid, startTime: startTime - 1 }]);
  t.deepEqual(await reapLeftovers(stateDir), []);
  t.true(isAlive(other.pid));
  t.false(fs.existsSync(recordPath(stateDir)), 'the stale record is cleared');
});

test('reapLeftovers: a record owned by a live supervisor is not touched', async (t) => {
  const stateDir = scratchDir();
  const child = startFixture(t, 'forever.js');
  const owner = startFixture(t, 'forever.js');
  writeRecord(stateDir, [{ pid: child.pid, startTime: readProcStat(child.pid)?.startTime }], { pid: owner.pid, startTime: readProcStat(owner.pid)?.startTime ?? 0 });
  t.deepEqual(await reapLeftovers(stateDir), []);
  t.true(isAlive(child.pid));
  t.true(fs.existsSync(recordPath(stateDir)));
});

test('reapLeftovers: no record, or an unreadable one, reaps nothing', async (t) => {
  const stateDir = scratchDir();
  t.deepEqual(await reapLeftovers(stateDir), []);
  fs.writeFileSync(recordPath(stateDir), '{not json');
  t.deepEqual(await reapLeftovers(stateDir), []);
  t.false(fs.existsSync(recordPath(stateDir)));
});

test('reapLeftovers: processes carrying a dead supervisor\'s marker are killed even if never recorded', async (t) => {
  const guarded = await startGuarded(t, 1, false, true);
  killQuietly(guarded.watchdog);
  guarded.child.kill('SIGKILL');
  await waitFor(() => !isAlive(guarded.child.pid ?? 0), { what: 'the supervisor to die' });
  t.true(guarded.pids.every(isAlive));
  const reaped = await reapLeftovers(guarded.stateDir);
  t.deepEqual(reaped.map((p) => p.pid).sort(), [...guarded.pids].sort());
  await allGone(guarded.pids, 'every recorded and marked process to be gone');
});

/** forever.js, detached, carrying `marker` as NODE_UNIT_GUARD: what a run leaves when a descendant escaped. */
function startMarked(t: ExecutionContext, marker: string): number {
  const child = spawn(process.execPath, [path.join(FIXTURES, 'procs', 'forever.js')], { stdio: 'ignore', detached: true, env: { ...process.env, [MARKER_NAME]: marker } });
  const pid = child.pid ?? 0;
  t.teardown(() => killQuietly(pid));
  return pid;
}

test('reapLeftovers: with no record at all, processes carrying the marker of a dead supervisor of this state folder are killed; others are left', async (t) => {
  const stateDir = scratchDir();
  const otherDir = scratchDir();
  const dead = { pid: 4_194_000, startTime: 1 };
  const ours = startMarked(t, `${supervisorMarker(stateDir, dead)}/7`);
  const elsewhere = startMarked(t, `${supervisorMarker(otherDir, dead)}/7`);
  const live = startFixture(t, 'forever.js');
  const liveOwner = { pid: live.pid, startTime: readProcStat(live.pid)?.startTime ?? 0 };
  const running = startMarked(t, `${supervisorMarker(stateDir, liveOwner)}/1`);
  await waitFor(() => [ours, elsewhere, running].every(isAlive), { what: 'the marked processes to run' });
  t.false(fs.existsSync(recordPath(stateDir)));
  const reaped = await reapLeftovers(stateDir);
  t.deepEqual(reaped.map((p) => p.pid), [ours]);
  await allGone([ours], 'the leftover to be gone');
  t.true(isAlive(elsewhere), "another state folder's leftover is not ours to end");
  t.true(isAlive(running), 'a process of a live supervisor is left alone');
});

test.serial('the record is rewritten in the thread pool, never with the event loop waiting on the disk, and the last change lands last', async (t) => {
  const stateDir = scratchDir();
  const guard = startOrphanGuard({ stateDir });
  const file = recordPath(stateDir);
  const renameSync = fs.renameSync;
  const syncRenames: string[] = [];
  fs.renameSync = (from: fs.PathLike, to: fs.PathLike): void => {
    if (String(to) === file) syncRenames.push(String(to));
    renameSync(from, to);
  };
  t.teardown(() => {
    fs.renameSync = renameSync;
  });
  const apps = [startFixture(t, 'forever.js'), startFixture(t, 'forever.js'), startFixture(t, 'forever.js')];
  for (const app of apps) guard.track(app.pid);
  const pidsInRecord = (): readonly number[] => (JSON.parse(fs.readFileSync(file, 'utf8')) as { processes: { pid: number }[] }).processes.map((p) => p.pid);
  await waitFor(() => pidsInRecord().length === 3, { what: 'a record of the three processes' });
  t.deepEqual(syncRenames, [], 'no synchronous write of the record while running');
  // Changes while a write is in flight: the record ends with the last of them.
  guard.untrack(apps[0]?.pid ?? 0);
  guard.untrack(apps[1]?.pid ?? 0);
  await waitFor(() => pidsInRecord().length === 1, { what: 'a record of the one process left' });
  t.deepEqual(pidsInRecord(), [apps[2]?.pid]);
  guard.untrack(apps[2]?.pid ?? 0);
  guard.track(apps[1]?.pid ?? 0);
  await guard.close();
  t.deepEqual(pidsInRecord(), [apps[1]?.pid], 'close writes what changed last');
});
