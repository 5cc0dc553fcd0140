/**
 * One node-unit log pipeline in its own process, so the benchmark can measure its CPU alone:
 * spawns the flood app with its stdout on a pipe made as the supervisor makes them (src/supervisor/pipes.ts),
 * feeds it into a LogHub, waits until every line is in the file, and prints one JSON line: {wallMs, cpuMs}.
 * Usage: node logs-driver.js <file> <time:0|1> <flood.js> <flood args…>
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { LogHub } from '../../src/logs/hub.js';
import { pipePool, pipeReader } from '../../src/supervisor/pipes.js';

const [file, time, script, ...args] = process.argv.slice(2);
if (file === undefined || script === undefined) throw new Error('usage: logs-driver.js <file> <time:0|1> <flood.js> <args…>');
const cpuBefore = process.cpuUsage();
const started = performance.now();
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
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(`${JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
