import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { LogHub } from '../../src/logs/hub.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { flood, logSpec, numberingProblem, pipedLog } from './helpers.js';

function readAll(fifo: string): Promise<string[]> {
  const chunks: Buffer[] = [];
  const reader = fs.createReadStream(fifo);
  reader.on('data', (chunk) => chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  return new Promise((resolve) =>
    reader.once('end', () => {
      const lines = Buffer.concat(chunks).toString('utf8').split('\n');
      lines.pop();
      resolve(lines);
    }),
  );
}

test('a file that cannot keep up (a FIFO nobody reads) blocks the child instead of dropping lines', async (t) => {
  const fifo = path.join(tempDir(), 'blocked-out.log');
  execFileSync('mkfifo', [fifo]);
  const hub = new LogHub();
  const log = hub.open('b:0', 'b', 0, logSpec({ outFile: fifo }));
  const count = 400_000;
  const child = flood(count, 'block', 16, 4096);
  const input = child.stdout;
  if (!input) throw new Error('no stdout');
  log.attach(input, 'out');
  await waitFor(() => input.isPaused(), { what: 'the stream to be paused' });
  t.is(child.exitCode, null, 'the child waits for its pipe');
  const lines = readAll(fifo);
  await log.drained();
  await hub.close();
  t.is(numberingProblem(await lines, count), undefined);
});

test("through the supervisor's pipe, a file that cannot keep up blocks the child in its write, and no line is lost", async (t) => {
  const fifo = path.join(tempDir(), 'blocked-out.log');
  execFileSync('mkfifo', [fifo]);
  const count = 400_000;
  const run = pipedLog(fifo, {}, count, 'line');
  const pid = await run.floodPid;
  await waitFor(() => /pipe_write/.test(fs.readFileSync(`/proc/${pid}/wchan`, 'utf8')), { what: 'the flood child to wait in a pipe write' });
  const lines = readAll(fifo);
  t.deepEqual(await run.done, { piped: true });
  t.is(numberingProblem(await lines, count), undefined);
});
