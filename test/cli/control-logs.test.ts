import { spawn } from 'node:child_process';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { CLI, runCli } from '../helpers/cli.js';
import { cjsConfig, upProject } from '../helpers/control.js';
import { FIXTURES } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const COUNT = 20_000;

interface Follower {
  readonly output: () => string;
  readonly errors: () => string;
  readonly exited: Promise<number | null>;
}

function follow(t: ExecutionContext, cwd: string): Follower {
  const child = spawn(process.execPath, [CLI, 'logs', '-f', '--json', '--lines', '50'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  t.teardown(() => child.kill('SIGKILL'));
  return { output: () => output, errors: () => errors, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

/**
 * Numbered flood lines arrive in order; a gap is allowed only where a skip marker says how many lines it hides.
 * `last` is the last line accounted for, seen or counted by a marker (a burst may end in a marker).
 */
function checkOrder(output: string): { readonly last: number; readonly problem?: string } {
  let expected = 1;
  let last = 0;
  const complete = output.slice(0, output.lastIndexOf('\n'));
  for (const raw of complete.split('\n').filter(Boolean)) {
    const line = JSON.parse(raw) as { app: string; line: string };
    if (line.app !== 'flood') continue;
    const skipped = /^\[… (\d+) lines? skipped/.exec(line.line);
    if (skipped) {
      expected += Number(skipped[1]);
      last = expected - 1;
      continue;
    }
    const n = Number(/^line (\d+)$/.exec(line.line)?.[1]);
    if (n !== expected) return { last, problem: `expected line ${expected}, got "${line.line}"` };
    last = n;
    expected++;
  }
  return { last };
}

test('two clients follow the logs while an app floods: both see every line in order, or a marker counting those skipped', async (t) => {
  const p = await upProject(t, {
    'ecosystem.config.cjs': cjsConfig([
      { name: 'hello', script: path.join(FIXTURES, 'procs', 'forever.js') },
      { name: 'flood', script: path.join(FIXTURES, 'procs', 'lines.js'), args: [String(COUNT), 'stay'], autostart: false },
    ]),
  });
  const a = follow(t, p.dir);
  const b = follow(t, p.dir);
  await Promise.all([a, b].map((f) => waitFor(() => f.output().includes('forever started'), { what: 'the follower to print the tail' })));
  t.is((await runCli(['start', 'flood'], { cwd: p.dir })).code, 0);
  for (const f of [a, b]) {
    const result = await waitFor(() => (checkOrder(f.output()).last === COUNT || checkOrder(f.output()).problem ? checkOrder(f.output()) : undefined), { timeoutMs: 45_000, what: `line ${COUNT}` });
    t.is(result.problem, undefined);
    t.is(result.last, COUNT);
  }
  t.is((await runCli(['down'], { cwd: p.dir })).code, 0);
  t.deepEqual(await Promise.all([a.exited, b.exited]), [0, 0], 'followers end when the supervisor does');
  t.regex(a.errors(), /the supervisor stopped everything \('node-unit down'\) and exited; no more lines/);
});

test('logs -f says so, and exits 1, when the supervisor goes away without a shutdown', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([{ name: 'hello', script: path.join(FIXTURES, 'procs', 'forever.js') }]) });
  const f = follow(t, p.dir);
  await waitFor(() => f.output().includes('forever started'), { what: 'the follower to print the tail' });
  p.up.child.kill('SIGKILL');
  t.is(await f.exited, 1);
  t.regex(f.errors(), /the supervisor went away \(its connection closed without a shutdown\); no more lines/);
});

test('logs without a colour terminal strips the escapes apps print and leaves plain lines whole', async (t) => {
  const p = await upProject(t, {
    'paint.cjs': "console.log('\\x1b[32mgreen\\x1b[39m text'); console.log('plain [32m text'); setInterval(() => {}, 1 << 30);\n",
    'ecosystem.config.cjs': cjsConfig([{ name: 'paint', script: 'paint.cjs' }]),
  });
  const shown = await waitFor(async () => {
    const result = await runCli(['logs', 'paint'], { cwd: p.dir, env: { ...process.env, NO_COLOR: '1' } });
    return result.stdout.includes('plain') ? result.stdout : undefined;
  }, { what: 'the app lines in logs' });
  t.regex(shown, /^paint \| green text$/m);
  t.regex(shown, /^paint \| plain \[32m text$/m);
  t.false(shown.includes('\x1b'));
});
