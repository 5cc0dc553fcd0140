import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { startUp } from '../helpers/up.js';

const forever = path.join(FIXTURES, 'procs', 'forever.js');

const PLUGIN = `{
  name: 'greeter',
  started(ctx) {
    ctx.handle('count', async (params) => ({ n: (await ctx.controller.list()).length, params }));
    ctx.handle('boom', () => { throw new Error('nope'); });
  },
  commands: [
    {
      name: 'greet',
      description: 'say hello to someone',
      arguments: [{ name: 'who', description: 'whom to greet' }, { name: 'more', description: 'others', required: false, variadic: true }],
      options: [{ flags: '--loud', description: 'shout' }, { flags: '--times <n>', description: 'how often', default: '1' }],
      async run(ctx) {
        const text = ['hello', ...ctx.args].join(' ');
        for (let i = 0; i < Number(ctx.options.times); i++) ctx.stdout((ctx.options.loud ? text.toUpperCase() : text) + '\\n');
        ctx.stderr('state ' + ctx.stateDir + ' data ' + ctx.dataDir + ' apps ' + ctx.config.apps.map((a) => a.name).join(',') + '\\n');
        return ctx.args[0] === 'nobody' ? 3 : 0;
      },
    },
    { name: 'ask', description: 'ask the running supervisor', arguments: [{ name: 'method', description: 'which' }], async run(ctx) { const r = await ctx.call(ctx.args[0], { x: 1 }); ctx.stdout(JSON.stringify(r) + '\\n'); return r.ok ? 0 : 1; } },
    { name: 'fail', description: 'always throws', run() { throw new Error('cannot'); } },
    { name: 'ls', description: 'clashes with the built-in', run(ctx) { ctx.stdout('plugin ls\\n'); } },
  ],
}`;

function project(format: 'cjs' | 'mjs' | 'ts'): string {
  const dir = tempDir();
  const apps = `[{ name: 'web', script: ${JSON.stringify(forever)} }]`;
  const body = format === 'cjs' ? `module.exports = { apps: ${apps}, plugins: [${PLUGIN}] };\n` : `import { defineConfig, definePlugin } from 'node-unit';\nexport default defineConfig({ apps: ${apps}, plugins: [definePlugin(${PLUGIN})] });\n`;
  writeFiles(dir, { [`ecosystem.config.${format}`]: body });
  return dir;
}

test('plugin commands show in --help and run with their arguments, options and exit code (CommonJS config)', async (t) => {
  const dir = project('cjs');
  const help = await runCli(['--help'], { cwd: dir });
  t.is(help.code, 0);
  t.regex(help.stdout, /greet \[options\] <who> \[more\.\.\.\]\s+say hello to someone \(plugin greeter\)/);
  t.regex(help.stdout, /fail \[options\]\s+always throws \(plugin greeter\)/);
  const greet = await runCli(['greet', 'Ann', 'Bo', 'Cy', '--loud', '--times', '2'], { cwd: dir });
  t.is(greet.code, 0);
  t.is(greet.stdout, 'HELLO ANN BO CY\nHELLO ANN BO CY\n');
  t.true(greet.stderr.includes(`state ${path.join(dir, '.node-unit')} data ${path.join(dir, '.node-unit', 'greeter')} apps web`));
  t.is((await runCli(['greet', 'nobody'], { cwd: dir })).code, 3);
  const usage = await runCli(['greet'], { cwd: dir });
  t.is(usage.code, 2);
  t.regex(usage.stderr, /missing required argument 'who'/);
});

test('a plugin command that throws exits 1 with the plugin named; a clash with a built-in keeps the built-in', async (t) => {
  const dir = project('cjs');
  const failed = await runCli(['fail'], { cwd: dir });
  t.is(failed.code, 1);
  t.regex(failed.stderr, /error plugin "greeter": command "fail" threw: cannot/);
  const help = await runCli(['--help'], { cwd: dir });
  t.regex(help.stderr, /warning plugin "greeter": command "ls" is a built-in command; the plugin's is not added/);
  t.notRegex(help.stdout, /clashes with the built-in/);
});

test('plugin commands come from ESM and TypeScript configs too', async (t) => {
  for (const format of ['mjs', 'ts'] as const) {
    const greet = await runCli(['greet', format], { cwd: project(format) });
    t.is(greet.code, 0, greet.stderr);
    t.is(greet.stdout, `hello ${format}\n`);
  }
});

test("ctx.call reaches the plugin's handler in the running supervisor over the control socket; not_running when there is none", async (t) => {
  const dir = project('cjs');
  const ask = async (method: string) => JSON.parse((await runCli(['ask', method], { cwd: dir })).stdout) as unknown;
  t.deepEqual(await ask('count'), { ok: false, code: 'not_running', message: "no supervisor is running for this project (start it with 'node-unit up')" });
  const up = startUp(t, [], { cwd: dir });
  await up.waitForLine(/web online/, 40_000);
  t.deepEqual(await ask('count'), { ok: true, value: { n: 1, params: { x: 1 } } });
  t.deepEqual(await ask('boom'), { ok: false, code: 'failed', message: 'plugin "greeter" failed in boom: plugin "greeter": rpc "boom" threw: nope' });
  t.deepEqual(await ask('nothing'), { ok: false, code: 'unknown_method', message: 'plugin "greeter" serves no method "nothing" (methods: count, boom)' });
  t.regex(up.output(), /error plugin "greeter": rpc "boom" threw: nope/);
  up.child.kill('SIGTERM');
  t.is((await up.exited).code, 0);
});

test('an unknown verb in a folder whose config cannot load says where plugin commands would come from', async (t) => {
  const dir = tempDir();
  writeFiles(dir, { 'ecosystem.config.cjs': 'module.exports = { apps: [] };\n' });
  const result = await runCli(['invite'], { cwd: dir });
  t.is(result.code, 2);
  t.true(result.stderr.includes(`note plugin commands come from ${path.join(dir, 'ecosystem.config.cjs')}, which could not be loaded (run 'node-unit validate')`));
  t.regex(result.stderr, /unknown command 'invite'/);
});

test("completion lists every built-in verb (export and startup included) and the project's plugin commands; a plugin command may take a pm2 word", async (t) => {
  const completion = await runCli(['completion', 'bash'], { cwd: project('cjs') });
  t.is(completion.code, 0, completion.stderr);
  const verbs = /compgen -W "([^"]*)"/.exec(completion.stdout)?.[1]?.split(' ') ?? [];
  for (const verb of ['up', 'ls', 'scale', 'export', 'startup', 'unstartup', 'greet', 'ask']) t.true(verbs.includes(verb), `${verb} in ${verbs.join(' ')}`);
  const dir = tempDir();
  const plugin = `{ name: 'shipper', commands: [{ name: 'deploy', description: 'ship it', run(ctx) { ctx.stdout('shipped\\n'); return 0; } }] }`;
  writeFiles(dir, { 'ecosystem.config.cjs': `module.exports = { apps: [{ name: 'web', script: ${JSON.stringify(forever)} }], plugins: [${plugin}] };\n` });
  const deploy = await runCli(['deploy'], { cwd: dir });
  t.is(deploy.code, 0, deploy.stderr);
  t.is(deploy.stdout, 'shipped\n');
  const monit = await runCli(['monit'], { cwd: dir });
  t.is(monit.code, 2);
  t.regex(monit.stderr, /node-unit has no 'monit' \(a pm2 command\)/);
});
