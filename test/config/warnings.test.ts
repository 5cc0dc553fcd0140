import test from 'ava';
import { validateConfig, type ValidConfig } from '../../src/config/validate.js';
import { brief } from '../helpers/config.js';

function valid(config: unknown): { config: ValidConfig; warnings: ReturnType<typeof brief> } {
  const result = validateConfig(config);
  if (!result.config) throw new Error(`expected a valid config, got ${JSON.stringify(result.diagnostics)}`);
  return { config: result.config, warnings: brief(result.diagnostics) };
}

test('a near-miss key is a warning with a did-you-mean', (t) => {
  const { warnings } = valid({ apps: [{ script: 'a.js', max_restart: 3, kill_temeout: 100 }] });
  t.deepEqual(warnings, [
    { severity: 'warning', path: 'apps[0].max_restart', message: 'unknown key, ignored', hint: 'did you mean "max_restarts"?' },
    { severity: 'warning', path: 'apps[0].kill_temeout', message: 'unknown key, ignored', hint: 'did you mean "kill_timeout"?' },
  ]);
});

test('an unknown key with nothing close is a warning without a hint', (t) => {
  const { warnings } = valid({ apps: [{ script: 'a.js', frobnicate: true }] });
  t.deepEqual(warnings, [{ severity: 'warning', path: 'apps[0].frobnicate', message: 'unknown key, ignored' }]);
});

test('camelCase aliases are accepted without a warning', (t) => {
  const { config, warnings } = valid({ apps: [{ script: 'a.js', watch: true, ignoreWatch: ['tmp'], maxMemoryRestart: '150M', execMode: 'cluster', maxRestarts: 2 }] });
  t.deepEqual(warnings, []);
  t.like(config.apps[0]?.fields, { ignore_watch: ['tmp'], max_memory_restart: 150 * 1024 ** 2, exec_mode: 'cluster', max_restarts: 2 });
});

test("pm2's alternative key names are accepted without a warning", (t) => {
  const { config, warnings } = valid({
    apps: [{ cmd: 'server.js', exec_interpreter: 'node', output: 'out.log', error: 'err.log', combine_logs: true, exec_mode: 'cluster_mode' }, { command: 'worker.js', exec_mode: 'fork_mode' }],
  });
  t.deepEqual(warnings, []);
  t.like(config.apps[0], { name: 'server', fields: { script: 'server.js', interpreter: 'node', out_file: 'out.log', error_file: 'err.log', merge_logs: true, exec_mode: 'cluster' } });
  t.like(config.apps[1], { name: 'worker', fields: { script: 'worker.js', exec_mode: 'fork' } });
});

test('a key written twice under two names warns and the later wins', (t) => {
  const { config, warnings } = valid({ apps: [{ script: 'a.js', out_file: 'a.log', output: 'b.log' }] });
  t.deepEqual(warnings, [{ severity: 'warning', path: 'apps[0].output', message: '"output" and "out_file" mean the same; using "output"', hint: 'remove one of them' }]);
  t.is(config.apps[0]?.fields.out_file, 'b.log');
});

test('pm2-only keys give one warning each, naming the key', (t) => {
  const { warnings } = valid({
    apps: [
      { name: 'a', script: 'a.js', vizion: false, pmx: true },
      { name: 'b', script: 'b.js', vizion: false },
      { name: 'c', script: 'c.js', vizion: true },
    ],
  });
  t.deepEqual(warnings, [
    { severity: 'warning', path: 'apps[0].vizion', message: 'pm2 option with no effect in node-unit, ignored (also in 2 more apps)' },
    { severity: 'warning', path: 'apps[0].pmx', message: 'pm2 option with no effect in node-unit, ignored' },
  ]);
});

test('an app key at the top level is a warning that says where it belongs', (t) => {
  const { warnings } = valid({ apps: [{ script: 'a.js' }], max_memory_restart: '1G' });
  t.deepEqual(warnings, [{ severity: 'warning', path: 'max_memory_restart', message: 'this is an app option, ignored at the top level', hint: 'move it inside an app in apps' }]);
});

test('an unknown top-level key suggests the right one', (t) => {
  const { warnings } = valid({ apps: [{ script: 'a.js' }], plugin: [] });
  t.deepEqual(warnings, [{ severity: 'warning', path: 'plugin', message: 'unknown top-level key, ignored', hint: 'did you mean "plugins"?' }]);
});

test('a top-level env_production is called an app option too', (t) => {
  const { warnings } = valid({ apps: [{ script: 'a.js' }], env_production: { A: '1' } });
  t.deepEqual(warnings, [{ severity: 'warning', path: 'env_production', message: 'this is an app option, ignored at the top level', hint: 'move it inside an app in apps' }]);
});

test('names default to the script base name, as pm2 does', (t) => {
  const { config } = valid({ apps: [{ script: './src/server.ts' }, { script: 'npm', args: 'start' }, { script: 'python3 -m http.server' }, { script: './bin/www' }, { script: 'run.sh' }] });
  t.deepEqual(config.apps.map((a) => a.name), ['server', 'npm', 'python3', 'www', 'run']);
});

test('values from process.env as strings are accepted for numbers and flags', (t) => {
  const { config } = valid({ apps: [{ script: 'a.js', max_restarts: '5', autorestart: 'false', instances: ' 3 ', port: '8080' }] });
  t.like(config.apps[0]?.fields, { max_restarts: 5, autorestart: false, instances: 3, port: 8080 });
});

test("an app's node (placement, not done yet) is a warning naming it, never a silent drop", (t) => {
  const { config, warnings } = valid({ apps: [{ script: 'a.js' }, { script: 'b.js', node: 'nas' }] });
  t.deepEqual(warnings, [{ severity: 'warning', path: 'apps[1].node', message: 'placement on other nodes is not supported yet; the app runs here' }]);
  t.is(config.apps[1]?.fields.node, 'nas');
});
