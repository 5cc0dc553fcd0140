/**
 * One node-unit log pipeline in its own process, so the benchmark can measure its CPU alone:
 * spawns the flood app with its stdout on a pipe made as the supervisor makes them (src/supervisor/pipes.ts),
 * feeds it into a LogHub, waits until every line is in the file, and prints one JSON line: {wallMs, cpuMs}.
 * Usage: node logs-driver.js <file> <time:0|1|read> <flood.js> <flood args…>
 * With `read` instead of a time flag it only reads the pipe and drops the bytes: the floor of any log path in Node.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { LogHub } from '../../src/logs/hub.js';
import { pipePool, pipeReader } from '../../src/supervisor/pipes.js';

const [file, time, script, ...args] = process.argv.slice(2);
if (file === undefined || script === undefined) throw new Error('usage: logs-driver.js <file> <time:0|1> <flood.js> <args…>');
const cpuBefore = process.cpuUsage();
const started = performance.now();
const report = (): void => {
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(`${JSON.stringify({ wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
};
if (time === 'read') {
  const [pipe] = (await pipePool.take(1)) ?? [];
  if (!pipe) throw new Error('the read floor needs the native helper or mkfifo');
  spawn(process.execPath, [script, ...args], { stdio: ['ignore', pipe.writeFd, 'inherit'] });
  fs.closeSync(pipe.writeFd);
  const reader = pipeReader(pipe);
  let bytes = 0;
  await new Promise<void>((resolve) => reader.lend((chunk) => void (bytes += chunk.length), resolve));
  report();
  process.exit(bytes > 0 ? 0 : 1);
}
const hub = new LogHub();
const log = hub.open('flood:0', 'flood', 0, {
  outFile: file,
  errorFile: null,
  combinedFile: null,
  merge: true,
  timestamp: time === '1',
  dateFormat: undefined,
  maxSizeBytes: undefined,
  maxFiles: 10,
});
const [pipe] = (await pipePool.take(1)) ?? [];
if (!pipe) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.stdout) log.attach(child.stdout, 'out');
} else {
  spawn(process.execPath, [script, ...args], { stdio: ['ignore', pipe.writeFd, 'inherit'] });
  fs.closeSync(pipe.writeFd);
  log.attach(pipeReader(pipe), 'out');
}
await log.drained();
await hub.close();
report();
