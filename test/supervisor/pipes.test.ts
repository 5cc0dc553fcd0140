// Serial: the first test compares the temp folder before and after, so no other pool may be filling meanwhile.
// FIFOs are read with fs here, not pipeReader (a socket).
// pipeReader over a FIFO runs in its own process in test/logs (piped-log.js).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import test from 'ava';
import { FifoPool } from '../../src/supervisor/fifo-pipes.js';
import { closePipe, pipePool } from '../../src/supervisor/pipes.js';
import { PROJECT_ROOT } from '../helpers/tmp.js';

const leftovers = (): string[] => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('node-unit-pipes-'));

test.serial('pipes from the pool are FIFOs that carry bytes and end when the write end closes; nothing stays on disk', async (t) => {
  const before = leftovers();
  const pipes = await new FifoPool().take(2);
  if (!pipes) return t.fail('mkfifo is available here, so pipes should be made');
  const [pipe, spare] = pipes;
  if (!pipe || !spare) return t.fail('two pipes');
  t.true(fs.fstatSync(pipe.writeFd).isFIFO());
  fs.writeSync(pipe.writeFd, 'one\ntwo\n');
  fs.closeSync(pipe.writeFd);
  const buffer = Buffer.alloc(64);
  const read = fs.readSync(pipe.readFd, buffer);
  t.is(buffer.subarray(0, read).toString(), 'one\ntwo\n');
  t.is(fs.readSync(pipe.readFd, buffer), 0, 'end of file once the only writer is gone');
  fs.closeSync(pipe.readFd);
  closePipe(spare);
  t.deepEqual(leftovers().filter((name) => !before.includes(name)), []);
});

test.serial('a folder left by a process killed while it made pipes is removed by the next pool', async (t) => {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  if (dead === undefined) return t.fail('a pid');
  const orphan = fs.mkdtempSync(path.join(os.tmpdir(), `node-unit-pipes-${dead}-`));
  fs.writeFileSync(path.join(orphan, '0'), '');
  const pipes = await new FifoPool().take(1);
  for (const pipe of pipes ?? []) closePipe(pipe);
  t.false(fs.existsSync(orphan));
});

test.serial('a pool gives distinct pipes to concurrent takers', async (t) => {
  const pool = new FifoPool();
  const taken = await Promise.all([pool.take(2), pool.take(2), pool.take(2)]);
  const fds = taken.flatMap((pipes) => pipes ?? []).flatMap((pipe) => [pipe.readFd, pipe.writeFd]);
  t.is(fds.length, 12);
  t.is(new Set(fds).size, 12);
  for (const pipes of taken) for (const pipe of pipes ?? []) closePipe(pipe);
});

test.serial("the test files run on a main thread, as production does: the supervisor's pool gives its own pipes", async (t) => {
  const pipes = await pipePool.take(2);
  t.is(pipes?.length, 2);
  for (const pipe of pipes ?? []) closePipe(pipe);
});

test.serial("in a worker thread the supervisor's pool keeps child_process' socketpairs", async (t) => {
  const module = pathToFileURL(path.join(PROJECT_ROOT, 'dist', 'src', 'supervisor', 'pipes.js')).href;
  const worker = new Worker(
    `import(${JSON.stringify(module)}).then(async ({ pipePool }) => require('node:worker_threads').parentPort.postMessage((await pipePool.take(2)) === undefined))`,
    { eval: true },
  );
  const [fellBack] = (await once(worker, 'message')) as [boolean];
  await worker.terminate();
  t.true(fellBack);
});
