import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { startUp } from '../helpers/up.js';

const forever = path.join(FIXTURES, 'procs', 'forever.js');

const PLUGIN = `{
  name: 'greeter',
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
    { name: 'ask', description: 'ask the running supervisor', async run(ctx) { const r = await ctx.call('count', { x: 1 }); ctx.stdout(JSON.stringify(r) + '\\n'); return r.ok ? 0 : 1; } },
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

test("ctx.call says not_running when no supervisor runs; with one running it reaches the control socket", async (t) => {
  const dir = project('cjs');
  const idle = await runCli(['ask'], { cwd: dir });
  t.is(idle.code, 1);
  t.deepEqual(JSON.parse(idle.stdout), { ok: false, code: 'not_running', message: "no supervisor is running for this project (start it with 'node-unit up')" });
  const up = startUp(t, [], { cwd: dir });
  await up.waitForLine(/web online/);
  const running = await runCli(['ask'], { cwd: dir });
  t.not(JSON.parse(running.stdout).code, 'not_running');
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
