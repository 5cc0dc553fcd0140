import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { PassThrough } from 'node:stream';
import type { LogSpec } from '../../src/model/app.js';
import { FIXTURES } from '../helpers/tmp.js';

export function logSpec(overrides: Partial<LogSpec> = {}): LogSpec {
  return { outFile: null, errorFile: null, combinedFile: null, merge: true, timestamp: false, dateFormat: undefined, maxSizeBytes: undefined, maxFiles: 10, ...overrides };
}

/** The flood fixture with piped stdio: `count` numbered lines of `lineBytes`, in writes of `blockBytes`. */
export function flood(count: number, mode: 'line' | 'block', lineBytes = 16, blockBytes = 65536): ChildProcess {
  const script = path.join(FIXTURES, 'procs', 'flood.js');
  return spawn(process.execPath, [script, String(count), mode, String(lineBytes), String(blockBytes)], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface PipedLog {
  /** The flood child's pid, once the fixture has started it. */
  readonly floodPid: Promise<number>;
  /** Resolves once every line is in the file, with whether the supervisor's pipe was used. */
  readonly done: Promise<{ readonly piped: boolean }>;
}

/** The flood fixture through an instance's log path (the supervisor's pipe, a LogHub) in a process of its own. */
export function pipedLog(file: string, options: { readonly time?: boolean; readonly maxSizeBytes?: number; readonly maxFiles?: number; readonly env?: NodeJS.ProcessEnv }, count: number, mode: 'line' | 'block', lineBytes = 16): PipedLog {
  const script = path.join(FIXTURES, 'procs', 'piped-log.js');
  const args = [file, options.time ? '1' : '0', String(options.maxSizeBytes ?? '-'), String(options.maxFiles ?? 10), String(count), mode, String(lineBytes)];
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...options.env } });
  const output = readline.createInterface({ input: child.stdout });
  const floodPid = new Promise<number>((resolve) => output.on('line', (line) => line.startsWith('CHILD ') && resolve(Number(line.slice(6)))));
  const done = new Promise<{ readonly piped: boolean }>((resolve, reject) => {
    output.on('line', (line) => line.startsWith('DONE ') && resolve({ piped: line.includes('"piped":true') }));
    child.once('exit', (code) => reject(new Error(`piped-log.js exited with ${code} before it was done`)));
  });
  return { floodPid, done };
}

export function readLines(file: string): string[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The first problem with lines that should be flood's 1…count in order (after an optional prefix), or undefined. */
export function numberingProblem(lines: readonly string[], count: number, prefix?: RegExp): string | undefined {
  if (lines.length !== count) return `expected ${count} lines, got ${lines.length}`;
  for (let i = 0; i < count; i++) {
    let line = lines[i] ?? '';
    if (prefix) {
      const match = prefix.exec(line);
      if (!match) return `line ${i + 1} has no prefix: ${JSON.stringify(line.slice(0, 80))}`;
      line = line.slice(match[0].length);
    }
    if (Number(line.slice(0, 9)) !== i + 1 || !/^\d{9} x+$/.test(line)) return `line ${i + 1} is ${JSON.stringify(line.slice(0, 80))}`;
  }
  return undefined;
}

/** A stream the test writes to by hand, standing in for a child's stdout. */
export function fakeStream(): PassThrough {
  return new PassThrough();
}
