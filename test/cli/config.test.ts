import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const CONFIG = JSON.stringify({
  apps: [{ name: 'api', script: 'server.js', cwd: 'app', instances: 2, env: { A: '1' }, env_production: { A: 'prod' } }],
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

test('config --json prints the resolved config as JSON', async (t) => {
  const cwd = tempDir('nu-cli-');
  writeFiles(cwd, { 'ecosystem.config.json': CONFIG });
  const result = await runCli(['config', '--json', '--env', 'production'], { cwd, env: { NODE_UNIT_STATE_DIR: undefined } });
  t.is(result.code, 0);
  t.is(result.stderr, '');
  const parsed: unknown = JSON.parse(result.stdout);
  if (!isRecord(parsed) || !Array.isArray(parsed.apps)) return t.fail(`not a resolved config: ${result.stdout}`);
  t.like(parsed, { file: path.join(cwd, 'ecosystem.config.json'), stateDir: path.join(cwd, '.node-unit'), profile: 'production', warnings: [] });
  const [app]: unknown[] = parsed.apps;
  t.like(app, { name: 'api', script: 'server.js', cwd: path.join(cwd, 'app'), instances: 2, execMode: 'cluster', env: { A: 'prod' }, maxRestarts: 16, killSignal: 'SIGINT' });
});

test('config --json honours --state-dir and NODE_UNIT_STATE_DIR', async (t) => {
  const cwd = tempDir('nu-cli-');
  writeFiles(cwd, { 'ecosystem.config.json': CONFIG });
  const fromEnv = await runCli(['config', '--json'], { cwd, env: { NODE_UNIT_STATE_DIR: 'from-env' } });
  t.like(JSON.parse(fromEnv.stdout), { stateDir: path.join(cwd, 'from-env'), profile: null });
  const fromOption = await runCli(['config', '--json', '--state-dir', 'opt'], { cwd, env: { NODE_UNIT_STATE_DIR: 'from-env' } });
  t.like(JSON.parse(fromOption.stdout), { stateDir: path.join(cwd, 'opt') });
});

test('config without --json prints one line per app', async (t) => {
  const cwd = tempDir('nu-cli-');
  writeFiles(cwd, { 'ecosystem.config.json': CONFIG });
  const result = await runCli(['config'], { cwd });
  t.is(result.code, 0);
  t.is(result.stdout, `ecosystem.config.json\n  api  server.js  ×2 cluster  cwd ${path.join(cwd, 'app')}\n  (--json prints every resolved key)\n`);
});

test('config on an invalid config exits 1 and prints no JSON', async (t) => {
  const cwd = tempDir('nu-cli-');
  writeFiles(cwd, { 'ecosystem.config.json': JSON.stringify({ apps: [{ script: 'a.js', instances: 'many' }] }) });
  const result = await runCli(['config', '--json'], { cwd });
  t.is(result.code, 1);
  t.is(result.stdout, '');
  t.is(result.stderr, 'error ecosystem.config.json: 1 problem\n  apps[0].instances: expected a number of instances, "max", 0 (all CPUs) or -1 (CPUs - 1), got "many" (string)\n');
});

test('config --json stays parseable when the config logs while loading', async (t) => {
  const cwd = tempDir('nu-cli-');
  writeFiles(cwd, { 'ecosystem.config.js': `console.log('loading config');\nconsole.info('info');\nmodule.exports = { apps: [{ script: 'a.js' }] };\n` });
  const result = await runCli(['config', '--json'], { cwd });
  t.is(result.code, 0);
  t.like(JSON.parse(result.stdout), { apps: [{ name: 'a' }] });
  t.is(result.stderr, 'loading config\ninfo\n');
});
