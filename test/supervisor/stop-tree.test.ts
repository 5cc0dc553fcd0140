import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { sharedProcessList } from '../../src/supervisor/proctable.js';
import { stopProcessTree, type StopOutcome } from '../../src/supervisor/stop.js';
import { readProcStat } from '../../src/util/proc.js';
import { procScript } from '../helpers/app.js';
import { identify, survivors, type ProcessIdentity } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Stops of a tree whose escaped grandchild (tree.js "escape": a new session, re-parented once its parent
 * dies) was forked after the /proc listing that stops share. The thread is held at chosen moments so the
 * event loop's phases fall where a busy supervisor's can.
 */

const MARKER = { name: 'NODE_UNIT_STOP_TREE_TEST', value: `stop-tree-${process.pid}` } as const;

/** Holds this thread (the event loop included) while the children run on. */
function holdThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readPids(file: string): number[] | undefined {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return text.endsWith('\n') ? text.trim().split('\n').map(Number) : undefined;
}

/** Holds the thread until tree.js has written its three pids; their identities. */
function holdForTree(pidfile: string): readonly ProcessIdentity[] | undefined {
  let pids: number[] | undefined;
  for (const deadline = Date.now() + 10_000; !pids && Date.now() < deadline; holdThread(5)) pids = readPids(pidfile);
  return identify(pids ?? []);
}

interface Tree {
  readonly pidfile: string;
  readonly stop: (options: { readonly timeoutMs: number; readonly marker: boolean }) => Promise<StopOutcome>;
}

function startTree(t: ExecutionContext): Tree {
  const pidfile = path.join(tempDir(), 'pids');
  const root = spawn(process.execPath, [procScript('tree.js'), pidfile, 'escape'], { stdio: 'ignore', detached: true, env: { ...process.env, [MARKER.name]: MARKER.value } });
  const rootPid = root.pid ?? 0;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    root.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  t.teardown(() => {
    for (const pid of readPids(pidfile) ?? [rootPid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  });
  const since = readProcStat(rootPid)?.startTime ?? 0;
  return {
    pidfile,
    stop: ({ timeoutMs, marker }) =>
      stopProcessTree(rootPid, { signal: 'SIGTERM', timeoutMs, group: true, ...(marker ? { marker: { ...MARKER, family: false, since } } : {}), isExited: () => exited, exit }),
  };
}

async function expectNoSurvivor(t: ExecutionContext, stop: Promise<StopOutcome>, tree: readonly ProcessIdentity[] | undefined): Promise<void> {
  if (tree?.length !== 3) return t.fail(`tree.js did not write three live pids: ${JSON.stringify(tree)}`);
  t.like(await stop, { survivors: [] });
  t.deepEqual(survivors(tree), []);
}

// With a kill timeout shorter than the held thread, the deadline has passed before the root's exit is seen.
for (const timeoutMs of [3000, 100]) {
  test.serial(`the last look finds, by its marker, a grandchild the first look's listing predates (kill timeout ${timeoutMs} ms)`, async (t) => {
    const tree = startTree(t);
    // In one run of JavaScript the first look shares a listing taken before the fork, and misses the
    // grandchild; the group dies while the thread is held, so the root's exit is seen in the next poll
    // phase, while that listing is still the shared one.
    const started = await new Promise<{ stop: Promise<StopOutcome>; tree: readonly ProcessIdentity[] | undefined }>((resolve) =>
      setImmediate(() => {
        sharedProcessList();
        const pids = holdForTree(tree.pidfile);
        const stop = tree.stop({ timeoutMs, marker: true });
        holdThread(300);
        resolve({ stop, tree: pids });
      }),
    );
    await expectNoSurvivor(t, started.stop, started.tree);
  });
}

test.serial('the first look does not reuse a listing from an earlier callback: without a marker, it alone can see the grandchild', async (t) => {
  const tree = startTree(t);
  let pids: readonly ProcessIdentity[] | undefined;
  // Two callbacks of one check phase: the first lists /proc, then the tree forks; the second stops it.
  const { stop } = await new Promise<{ stop: Promise<StopOutcome> }>((resolve) => {
    setImmediate(() => {
      sharedProcessList();
      pids = holdForTree(tree.pidfile);
    });
    setImmediate(() => {
      const stopping = tree.stop({ timeoutMs: 3000, marker: false });
      holdThread(300);
      resolve({ stop: stopping });
    });
  });
  await expectNoSurvivor(t, stop, pids);
});
