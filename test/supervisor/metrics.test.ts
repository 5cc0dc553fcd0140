import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { descendants, sampleTrees } from '../../src/supervisor/metrics.js';
import { waitFor } from '../helpers/wait.js';
import { killQuietly, startFixture, startTree } from './spawn-fixture.js';

const MB = 1024 * 1024;

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

test('descendants: a root maps to itself, its children and grandchildren, including one that left the group', async (t) => {
  const [root = 0, inGroup = 0, escaped = 0] = await startTree(t, true);
  const trees = descendants([root, process.pid]);
  t.deepEqual([...(trees.get(root) ?? [])].sort(), [root, inGroup, escaped].sort());
  // The test process's tree holds the fixture too: trees may overlap, each is complete.
  t.true([root, inGroup, escaped].every((pid) => trees.get(process.pid)?.includes(pid)));
  t.is(trees.get(root)?.[0], root);
});

test('descendants: a root that is gone maps to itself only', async (t) => {
  const pid = await deadPid();
  t.deepEqual(descendants([pid]).get(pid), [pid]);
});

test('sampleTrees: memory is summed over the whole tree', async (t) => {
  const hog = startFixture(t, 'memory-hog.js', ['120']);
  const tree = await startTree(t, false);
  const root = tree[0] ?? 0;
  const usage = await waitFor(
    async () => {
      const sample = await sampleTrees([hog.pid, root]);
      return (sample.get(hog.pid)?.memory ?? 0) > 120 * MB ? sample : undefined;
    },
    { timeoutMs: 15_000, what: 'memory-hog to hold 120 MB' },
  );
  t.deepEqual(usage.get(hog.pid)?.pids, [hog.pid]);
  const treeUsage = usage.get(root);
  t.deepEqual([...(treeUsage?.pids ?? [])].sort(), [...tree].sort());
  // Two node processes: each holds tens of MB, so the sum is above what one alone could be.
  t.true((treeUsage?.memory ?? 0) > 2 * 15 * MB, `tree memory ${treeUsage?.memory}`);
});

test('sampleTrees: cpu is measured between samples, in percent of one core', async (t) => {
  const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const pid = busy.pid ?? 0;
  t.teardown(() => killQuietly(pid));
  await sampleTrees([pid]);
  const cpu = await waitFor(
    async () => {
      const value = (await sampleTrees([pid])).get(pid)?.cpu ?? 0;
      return value > 5 ? value : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 200, what: 'a busy loop to show cpu' },
  );
  t.true(cpu <= 100 * 2 + 10, `cpu ${cpu}`);
});

test('sampleTrees: vanished pids are skipped and never throw', async (t) => {
  const gone = await deadPid();
  const alive = startFixture(t, 'forever.js');
  const alone = await sampleTrees([gone]);
  t.deepEqual(alone.get(gone), { cpu: 0, memory: 0, pids: [] });
  const mixed = await sampleTrees([gone, alive.pid]);
  t.deepEqual(mixed.get(gone), { cpu: 0, memory: 0, pids: [] });
  t.deepEqual(mixed.get(alive.pid)?.pids, [alive.pid]);
  t.true((mixed.get(alive.pid)?.memory ?? 0) > 0);
  t.deepEqual([...(await sampleTrees([])).entries()], []);
});

test('sampleTrees: a tree whose processes exit between samples stays measurable', async (t) => {
  const tree = await startTree(t, false);
  const [root = 0, grandchild = 0] = tree;
  t.is((await sampleTrees([root])).get(root)?.pids.length, 2);
  process.kill(grandchild, 'SIGKILL');
  const after = await waitFor(
    async () => {
      const usage = (await sampleTrees([root])).get(root);
      return usage && !usage.pids.includes(grandchild) ? usage : undefined;
    },
    { timeoutMs: 5000, what: 'the grandchild to leave the sample' },
  );
  t.deepEqual(after.pids, [root]);
});

/** This process's open descriptors on some /proc/PID/stat file. */
/** Descriptors this process holds on the stat files of `pids` (other tests in the process may hold their own). */
function openStatFiles(pids: readonly number[]): number {
  const wanted = new Set(pids.map((pid) => `/proc/${pid}/stat`));
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return wanted.has(fs.readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      return false;
    }
  }).length;
}

test('sampleTrees keeps no file open: processes sampled and then gone leave no descriptor behind', async (t) => {
  const sampled: number[] = [];
  for (let i = 0; i < 5; i++) {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = child.pid ?? 0;
    sampled.push(pid);
    t.is((await sampleTrees([pid])).get(pid)?.pids.length, 1);
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  t.is(openStatFiles(sampled), 0);
});

test('where there is no /proc, pidusage gives the same shape of answer; a pid that is gone is left out', async (t) => {
  const { readUsageWithPidusage } = await import('../../src/supervisor/usage.js');
  const gone = spawn(process.execPath, ['-e', '0']);
  await once(gone, 'exit');
  const usage = await readUsageWithPidusage([process.pid, gone.pid ?? -1]);
  t.deepEqual([...usage.keys()], [process.pid]);
  t.true((usage.get(process.pid)?.memory ?? 0) > 1024 * 1024);
  t.true(Number.isFinite(usage.get(process.pid)?.cpu));
});
