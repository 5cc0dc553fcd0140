import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { isAlive } from '../helpers/proc.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { startUp, type UpProcess } from '../helpers/up.js';
import { waitFor } from '../helpers/wait.js';

const forever = path.join(FIXTURES, 'procs', 'forever.js');

/** A CommonJS ecosystem with one app and the given plugins (JavaScript source of an array). */
function config(dir: string, plugins: string): void {
  writeFiles(dir, {
    'ecosystem.config.cjs': `const fs = require('node:fs');\nconst path = require('node:path');\nconst mark = (text) => fs.appendFileSync(path.join(__dirname, 'marks'), text + '\\n');\nmodule.exports = { apps: [{ name: 'app', script: ${JSON.stringify(forever)}, kill_timeout: 500 }], plugins: ${plugins} };\n`,
  });
}

const marks = (dir: string): string[] => (fs.existsSync(path.join(dir, 'marks')) ? fs.readFileSync(path.join(dir, 'marks'), 'utf8').trim().split('\n') : []);

async function appPid(up: UpProcess): Promise<number> {
  // A loaded machine can take many seconds to start a supervisor and its app.
  const line = await up.waitForLine(/^node-unit \| app online \(pid \d+\)/, 40_000);
  return Number(/pid (\d+)/.exec(line)?.[1]);
}

test('hooks run in plugin order with a context; disposers and close hooks run in reverse order on shutdown', async (t) => {
  const dir = tempDir();
  const plugin = (name: string) => `{
    name: '${name}',
    configResolved(config) { mark('${name} configResolved ' + config.apps.map((a) => a.name).join(',')); },
    async started(ctx) {
      const list = await ctx.controller.list();
      fs.writeFileSync(path.join(ctx.dataDir, 'seen'), String(list.length));
      ctx.log.info('sees ' + list.map((i) => i.id).join(','));
      ctx.log.warn('a warning');
      mark('${name} started ' + path.relative(ctx.stateDir, ctx.dataDir));
      return async () => mark('${name} disposed aborted=' + ctx.signal.aborted);
    },
    close() { mark('${name} closed'); },
  }`;
  config(dir, `[${plugin('one')}, ${plugin('two')}]`);
  const up = startUp(t, [], { cwd: dir });
  const pid = await appPid(up);
  await up.waitForLine(/^node-unit \| one: sees app:0$/);
  await up.waitForLine(/^node-unit \| two: warning: a warning$/);
  await waitFor(() => marks(dir).includes('two started two'), { what: 'both plugins started' });
  t.true(fs.existsSync(path.join(dir, '.node-unit', 'one', 'seen')));
  up.child.kill('SIGTERM');
  t.is((await up.exited).code, 0);
  t.deepEqual(marks(dir), ['one configResolved app', 'two configResolved app', 'one started one', 'two started two', 'two disposed aborted=true', 'two closed', 'one disposed aborted=true', 'one closed']);
  t.false(isAlive(pid));
});

test('a plugin that throws in started or configResolved is reported by name; the others run and the supervisor keeps serving', async (t) => {
  const dir = tempDir();
  config(dir, `[
    { name: 'broken', configResolved() { throw new TypeError('bad option'); }, started() { throw new Error('boom'); }, close() { mark('broken closed'); } },
    { name: 'fine', started(ctx) { ctx.log.info('running'); } },
  ]`);
  const up = startUp(t, [], { cwd: dir });
  const pid = await appPid(up);
  await up.waitForLine(/^node-unit \| error plugin "broken": configResolved threw: TypeError: bad option$/);
  await up.waitForLine(/^node-unit \| error plugin "broken": started threw: boom$/);
  await up.waitForLine(/^node-unit \| fine: running$/);
  const ls = await runCli(['ls', '--json'], { cwd: dir });
  t.is(ls.code, 0);
  t.is((JSON.parse(ls.stdout) as { status: string }[])[0]?.status, 'online');
  up.child.kill('SIGINT');
  t.is((await up.exited).code, 0);
  t.deepEqual(marks(dir), ['broken closed']);
  t.false(isAlive(pid));
});

test('a started that hangs and a close that hangs with a timer left running: reported, and the supervisor still stops cleanly with nothing left', async (t) => {
  const dir = tempDir();
  config(dir, `[
    { name: 'slow-start', started() { return new Promise(() => {}); } },
    { name: 'stuck', started() { setInterval(() => {}, 1000); }, close() { return new Promise(() => {}); } },
  ]`);
  const up = startUp(t, [], { cwd: dir });
  const pid = await appPid(up);
  await up.waitForLine(/^node-unit \| error plugin "slow-start": started did not finish within 5000 ms/, 15_000);
  up.child.kill('SIGTERM');
  await up.waitForLine(/^node-unit \| error plugin "stuck": close did not finish within 5000 ms/, 15_000);
  const exit = await up.exited;
  t.is(exit.code, 0);
  t.false(isAlive(pid));
  t.false(isAlive(up.child.pid ?? 0));
});

test('a started that finishes after its deadline has its disposer run at once', async (t) => {
  const dir = tempDir();
  config(dir, `[{ name: 'late', started() { return new Promise((resolve) => setTimeout(() => resolve(() => mark('late disposed')), 6000)); } }]`);
  const up = startUp(t, [], { cwd: dir });
  await up.waitForLine(/plugin "late": started did not finish within 5000 ms/, 15_000);
  await waitFor(() => marks(dir).includes('late disposed'), { timeoutMs: 5000, what: 'the late disposer' });
  up.child.kill('SIGTERM');
  t.is((await up.exited).code, 0);
  t.deepEqual(marks(dir), ['late disposed']);
});

test('a throw in a plugin timer, a forgotten promise or an event listener is reported by name; the supervisor keeps running', async (t) => {
  const dir = tempDir();
  config(dir, `[{
    name: 'sloppy',
    started(ctx) {
      setTimeout(() => { throw new Error('from a timer'); }, 50);
      Promise.reject(new Error('forgotten promise'));
      let thrown = false;
      ctx.controller.subscribe((event) => { if (!thrown) { thrown = true; throw new Error('from a listener'); } });
    },
  }]`);
  const up = startUp(t, [], { cwd: dir });
  const pid = await appPid(up);
  await up.waitForLine(/^node-unit \| error plugin "sloppy": background threw: from a timer$/);
  await up.waitForLine(/^node-unit \| error plugin "sloppy": background threw: forgotten promise$/);
  await up.waitForLine(/^node-unit \| error plugin "sloppy": background "subscribe listener" threw: from a listener$/);
  t.true(isAlive(pid));
  const ls = await runCli(['ls', '--json'], { cwd: dir });
  t.is(ls.code, 0);
  up.child.kill('SIGTERM');
  t.is((await up.exited).code, 0);
  t.false(isAlive(pid));
});

test('a config reload applies apps and says plugins are not restarted', async (t) => {
  const dir = tempDir();
  config(dir, `[{ name: 'steady', started(ctx) { ctx.log.info('started once'); } }]`);
  const up = startUp(t, [], { cwd: dir });
  await appPid(up);
  const plan = await runCli(['reload', '--plan', '--json'], { cwd: dir });
  t.is(plan.code, 0, plan.stderr);
  t.deepEqual((JSON.parse(plan.stdout) as { warnings: string[] }).warnings, ['plugins: a reload does not restart plugins; changes to them apply at the next node-unit up']);
  up.child.kill('SIGTERM');
  t.is((await up.exited).code, 0);
  t.is(up.output().split('\n').filter((line) => line.includes('steady: started once')).length, 1);
});
