import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { sharedProcessList } from '../../src/supervisor/proctable.js';
import { stopProcessTree } from '../../src/supervisor/stop.js';
import { readProcStat } from '../../src/util/proc.js';
import { procScript } from '../helpers/app.js';
import { identify, survivors } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const MARKER = { name: 'NODE_UNIT_STOP_TREE_TEST', value: `stop-tree-${process.pid}` } as const;

/** Holds this thread (the event loop included) while the children run on. */
function holdThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readPids(file: string): number[] | undefined {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return text.endsWith('\n') ? text.trim().split('\n').map(Number) : undefined;
}

// With a kill timeout shorter than the held thread, the deadline has passed before the root's exit is seen.
for (const timeoutMs of [3000, 100]) {
  test.serial(`a listing shared from before a fork cannot hide the forked grandchild from the stop (kill timeout ${timeoutMs} ms)`, async (t) => {
    const pidfile = path.join(tempDir(), 'pids');
    const root = spawn(process.execPath, [procScript('tree.js'), pidfile, 'escape'], { stdio: 'ignore', detached: true, env: { ...process.env, [MARKER.name]: MARKER.value } });
    const rootPid = root.pid ?? 0;
    let exited = false;
    const exit = new Promise<void>((resolve) => root.once('exit', () => {
      exited = true;
      resolve();
    }));
    t.teardown(() => {
      for (const pid of readPids(pidfile) ?? [rootPid]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
    });
    const since = readProcStat(rootPid)?.startTime ?? 0;
    // Inside one check phase: a listing is shared before the tree forks, so the stop's first look misses the
    // grandchild; its group dies while the thread is held, so the root's exit is seen in the next poll phase,
    // while that listing is still the shared one.
    const { stop, tree } = await new Promise<{ stop: Promise<unknown>; tree: ReturnType<typeof identify> }>((resolve) =>
      setImmediate(() => {
        sharedProcessList();
        let pids: number[] | undefined;
        for (const deadline = Date.now() + 10_000; !pids && Date.now() < deadline; holdThread(5)) pids = readPids(pidfile);
        const tree = identify(pids ?? []);
        const stop = stopProcessTree(rootPid, { signal: 'SIGTERM', timeoutMs, group: true, marker: { ...MARKER, family: false, since }, isExited: () => exited, exit });
        holdThread(300);
        resolve({ stop, tree });
      }),
    );
    if (tree?.length !== 3) return t.fail(`tree.js did not write three live pids: ${JSON.stringify(tree)}`);
    t.like(await stop, { survivors: [] });
    t.deepEqual(survivors(tree), []);
  });
}
