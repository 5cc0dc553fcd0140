import fs from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import { listProcesses, readCommand } from '../../src/util/proc.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { startUp } from '../helpers/up.js';
import { STARTED_PREFIX, type BadConfig } from './bad-config-kit.js';
import { BAD_CONFIGS } from './bad-configs.js';

/** CLI runs at a time: each is a node process; more would only queue on two cores. */
const PARALLEL = 3;
/** Every UP_SAMPLE-th refused config also goes through `up` (all 205 would add a few minutes of CPU). */
const UP_SAMPLE = 8;

function limiter(slots: number): <T>(job: () => Promise<T>) => Promise<T> {
  let free = slots;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

const slot = limiter(PARALLEL);

function writeCase(bad: BadConfig): string {
  const dir = tempDir('nu-fault-cli-');
  writeFiles(dir, bad.files);
  return dir;
}

/** Exit 1 with every expected mention, and nothing that looks like a crash. */
function assertClearError(t: ExecutionContext, bad: BadConfig, result: CliResult, output: string): void {
  t.is(result.code, 1, output);
  t.true(output.includes(bad.configFile), `the file is named in:\n${output}`);
  for (const mention of bad.mentions) {
    if (typeof mention === 'string') t.true(output.includes(mention), `"${mention}" in:\n${output}`);
    else t.regex(output, mention);
  }
  t.notRegex(output, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
  t.notRegex(output, /internal error/i);
}

function startedFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.startsWith(STARTED_PREFIX));
}

/** The orphan guard's watchdog of supervisor `pid`, if one is still running. */
function watchdogsOf(pid: number): number[] {
  return listProcesses()
    .filter((stat) => new RegExp(`node-unit-guard [0-9a-f]+:${pid}-`).test(readCommand(stat.pid)))
    .map((stat) => stat.pid);
}

BAD_CONFIGS.forEach((bad, index) => {
  test(`validate${bad.strict ? ' --strict' : ''}: ${bad.title}`, async (t) => {
    const dir = writeCase(bad);
    const result = await slot(() => runCli(['validate', ...(bad.strict ? ['--strict'] : [])], { cwd: dir }));
    assertClearError(t, bad, result, result.stderr);
    t.deepEqual(startedFiles(dir), []);
  });
  if (bad.strict || index % UP_SAMPLE !== 0) return;
  test(`up: ${bad.title}`, async (t) => {
    const dir = writeCase(bad);
    const { code, output, pid } = await slot(async () => {
      const up = startUp(t, [], { cwd: dir });
      const exit = await up.exited;
      return { code: exit.code, output: up.output(), pid: up.child.pid ?? 0 };
    });
    assertClearError(t, bad, { code, stdout: output, stderr: '' }, output);
    t.deepEqual(startedFiles(dir), [], 'no app started');
    t.deepEqual(watchdogsOf(pid), [], 'no watchdog left behind');
  });
});

test('the refused configs sent through up are a sample across every family', (t) => {
  const sampled = BAD_CONFIGS.filter((bad, index) => !bad.strict && index % UP_SAMPLE === 0);
  t.true(sampled.length >= 20, `${sampled.length} configs through up`);
});
