// Serial: one flood at a time keeps the load of this file to one core, so timing-sensitive tests elsewhere keep theirs.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { LogHub } from '../../src/logs/hub.js';
import { tempDir } from '../helpers/tmp.js';
import { flood, logSpec, numberingProblem, pipedLog, readLines } from './helpers.js';

const MILLION = 1_000_000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}: /;

/** In this worker, through child_process' socketpair (see src/supervisor/pipes.ts for why not a pipe here). */
async function floodInto(hub: LogHub, spec: ReturnType<typeof logSpec>, count: number, mode: 'line' | 'block', blockBytes?: number): Promise<void> {
  const log = hub.open('flood:0', 'flood', 0, spec);
  const child = flood(count, mode, 16, blockBytes);
  if (!child.stdout) throw new Error('no stdout');
  log.attach(child.stdout, 'out');
  await log.drained();
  await hub.close();
}

test.serial('a burst of 1,000,000 lines from a child that exits at once: all in the file, in order', async (t) => {
  const file = path.join(tempDir(), 'logs', 'flood-out.log');
  await floodInto(new LogHub(), logSpec({ outFile: file }), MILLION, 'block');
  t.is(numberingProblem(readLines(file), MILLION), undefined);
});

test.serial('the same burst with time: true: every line intact with exactly one timestamp', async (t) => {
  const file = path.join(tempDir(), 'flood-out.log');
  await floodInto(new LogHub(), logSpec({ outFile: file, timestamp: true }), MILLION, 'block');
  const lines = readLines(file);
  t.is(numberingProblem(lines, MILLION, TIMESTAMP), undefined);
  t.false(lines.some((line) => TIMESTAMP.test(line.replace(TIMESTAMP, ''))), 'no line has a second timestamp');
});

test.serial('one write per line: every line in the file', async (t) => {
  const file = path.join(tempDir(), 'flood-out.log');
  await floodInto(new LogHub(), logSpec({ outFile: file }), 50_000, 'line');
  t.is(numberingProblem(readLines(file), 50_000), undefined);
});

test.serial("through the supervisor's pipe, 1,000,000 lines one per write: all in the file, in order", async (t) => {
  const file = path.join(tempDir(), 'flood-out.log');
  t.deepEqual(await pipedLog(file, {}, MILLION, 'line').done, { piped: true });
  t.is(numberingProblem(readLines(file), MILLION), undefined);
});

test.serial("through the supervisor's pipe, 1,000,000 lines in 64 KiB writes (lines straddle its reused read buffer): all in the file, in order", async (t) => {
  const file = path.join(tempDir(), 'flood-out.log');
  t.deepEqual(await pipedLog(file, {}, MILLION, 'block').done, { piped: true });
  t.is(numberingProblem(readLines(file), MILLION), undefined);
});

test.serial('without the native helper (FIFOs read by Node), 1,000,000 lines in 64 KiB writes: all in the file, in order', async (t) => {
  const file = path.join(tempDir(), 'flood-out.log');
  t.deepEqual(await pipedLog(file, { env: { NODE_UNIT_NATIVE: '0' } }, MILLION, 'block').done, { piped: true });
  t.is(numberingProblem(readLines(file), MILLION), undefined);
});

test.serial("through the supervisor's pipe with time: true, 1,000,000 lines one per write: each intact with one timestamp", async (t) => {
  const file = path.join(tempDir(), 'flood-out.log');
  t.deepEqual(await pipedLog(file, { time: true }, MILLION, 'line').done, { piped: true });
  const lines = readLines(file);
  t.is(numberingProblem(lines, MILLION, TIMESTAMP), undefined);
  t.false(lines.some((line) => TIMESTAMP.test(line.replace(TIMESTAMP, ''))), 'no line has a second timestamp');
});

const pipedRotation = test.macro(async (t, mode: 'line' | 'block') => {
  const dir = tempDir();
  const file = path.join(dir, 'flood-out.log');
  const max = 256 * 1024;
  t.deepEqual(await pipedLog(file, { maxSizeBytes: max, maxFiles: 40 }, 300_000, mode).done, { piped: true });
  const rotated = fs.readdirSync(dir).filter((name) => /^flood-out\.log\.\d+$/.test(name)).map((name) => Number(name.split('.').pop()));
  const files = [...rotated.sort((a, b) => b - a).map((n) => `${file}.${n}`), file];
  for (const name of files) t.true(fs.statSync(name).size <= max, `${name} is within the limit`);
  t.is(numberingProblem(files.flatMap(readLines), 300_000), undefined);
});

test.serial("through the supervisor's pipe, rotation during a flood of single-line writes: every line exactly once", pipedRotation, 'line');
test.serial("through the supervisor's pipe, rotation during a flood of 64 KiB writes (reads of up to 1 MiB, several rotations each): every line exactly once", pipedRotation, 'block');

test.serial('rotation during a flood: the rotated files in order hold every line exactly once', async (t) => {
  const dir = tempDir();
  const file = path.join(dir, 'flood-out.log');
  const max = 256 * 1024;
  await floodInto(new LogHub(), logSpec({ outFile: file, maxSizeBytes: max, maxFiles: 40 }), 300_000, 'block', 4096);
  const rotated = fs.readdirSync(dir).filter((name) => /^flood-out\.log\.\d+$/.test(name));
  t.true(rotated.length >= 15, `${rotated.length} rotated files`);
  const order = rotated.map((name) => Number(name.split('.').pop())).sort((a, b) => b - a);
  t.deepEqual(order, Array.from({ length: rotated.length }, (_, i) => rotated.length - i), '.1 … .N with no gap');
  const files = [...order.map((n) => `${file}.${n}`), file];
  for (const name of files) t.true(fs.statSync(name).size <= max, `${name} is within the limit`);
  t.is(numberingProblem(files.flatMap(readLines), 300_000), undefined);
});

test.serial('log_max_files keeps only the newest rotated files', async (t) => {
  const dir = tempDir();
  const file = path.join(dir, 'flood-out.log');
  await floodInto(new LogHub(), logSpec({ outFile: file, maxSizeBytes: 64 * 1024, maxFiles: 3 }), 100_000, 'block');
  t.deepEqual(fs.readdirSync(dir).sort(), ['flood-out.log', 'flood-out.log.1', 'flood-out.log.2', 'flood-out.log.3']);
  const newest = [`${file}.3`, `${file}.2`, `${file}.1`, file].flatMap(readLines);
  t.is(newest.at(-1)?.slice(0, 9), '000100000');
  const first = Number(newest[0]?.slice(0, 9));
  t.true(newest.every((line, i) => Number(line.slice(0, 9)) === first + i), 'consecutive lines');
});
