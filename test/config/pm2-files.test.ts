import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { loadConfig } from '../../src/config/load.js';
import { appNamed, brief } from '../helpers/config.js';
import { FIXTURES, tempDir } from '../helpers/tmp.js';

const CONFIGS = path.join(FIXTURES, 'configs');
const load = (name: string, profile?: string) =>
  loadConfig({ cwd: tempDir(), configPath: path.join(CONFIGS, name), stateDir: path.join(tempDir(), 'state'), env: {}, ...(profile ? { profile } : {}) });
const DEPLOY_WARNING = { severity: 'warning', path: 'deploy', message: 'pm2 deploy section: only its <profile>.env blocks are used (with --env); the rest is ignored' };

test("pm2's generated ecosystem file validates with one warning, for deploy", async (t) => {
  const loaded = await load('pm2-docs.config.js');
  t.deepEqual(brief(loaded.warnings), [DEPLOY_WARNING]);
  t.like(appNamed(loaded, 'API'), { args: ['one', 'two'], instances: 1, execMode: 'cluster', autorestart: true, watch: undefined, maxMemoryBytes: 1024 ** 3, env: { NODE_ENV: 'development' } });
  const production = await load('pm2-docs.config.js', 'production');
  t.deepEqual(appNamed(production, 'API').env, { NODE_ENV: 'production' });
});

test('a cluster / watch / logs ecosystem validates with warnings only for pm2-only keys', async (t) => {
  const loaded = await load('pm2-cluster.config.js', 'production');
  t.deepEqual(brief(loaded.warnings), [
    { severity: 'warning', path: 'apps[1].vizion', message: 'pm2 option with no effect in node-unit, ignored' },
    { severity: 'warning', path: 'apps[1].source_map_support', message: 'pm2 option with no effect in node-unit, ignored' },
  ]);
  const api = appNamed(loaded, 'api');
  t.like(api, { instances: os.availableParallelism(), execMode: 'cluster', maxRestarts: 10, minUptimeMs: 10_000, killTimeoutMs: 3000, waitReady: true, listenTimeoutMs: 10_000 });
  t.deepEqual(api.env, { NODE_ENV: 'production', PORT: '80' });
  t.deepEqual(api.watch?.paths, [path.join(CONFIGS, 'server'), path.join(CONFIGS, 'client')]);
  t.deepEqual(api.watch?.options, { followSymlinks: false }, 'watch_options reach chokidar');
  t.true(api.watch?.ignore.includes('client/img'));
  t.like(api.logs, { outFile: path.join(CONFIGS, 'logs/api-out.log'), errorFile: path.join(CONFIGS, 'logs/api-error.log'), merge: true, timestamp: true, dateFormat: 'YYYY-MM-DD HH:mm Z' });
  const worker = appNamed(loaded, 'worker');
  t.like(worker, { instances: 2, execMode: 'cluster', cronRestart: '0 0 * * *', expBackoffRestartDelayMs: 100, script: path.join(CONFIGS, 'worker.js') });
  t.like(worker.logs, { combinedFile: path.join(CONFIGS, 'logs/worker-combined.log'), merge: true, timestamp: true, dateFormat: 'YYYY-MM-DDTHH:mm:ss.SSSZ' });
  t.like(appNamed(loaded, 'frontend'), { script: 'npm', args: ['start'], interpreter: 'none', execMode: 'fork', cwd: path.join(CONFIGS, 'frontend'), env: { PORT: '8080' } });
});

test('a process.json holding one app, with trailing commas, validates', async (t) => {
  const loaded = await load('process.json');
  t.deepEqual(loaded.warnings, []);
  t.like(appNamed(loaded, 'worker'), { instances: 2, execMode: 'cluster', logs: { outFile: null, errorFile: null, merge: true }, env: { NODE_ENV: 'production' } });
});

test("pm2's own ecosystem.json example validates without a warning (pid_file is written as pm2 does)", async (t) => {
  const loaded = await load('ecosystem.json');
  t.deepEqual(brief(loaded.warnings), []);
  t.is(loaded.apps[1]?.pidFile, path.join(CONFIGS, 'examples/child.pid'));
  t.like(appNamed(loaded, 'echo'), { args: ['--toto=heya', 'coco', '-d', '1'], interpreterArgs: ['--harmony'], cwd: '/this/is/a/path/to/start/script' });
  t.like(appNamed(loaded, 'api'), { instances: 4, execMode: 'cluster', env: { PORT: '9005' } });
  t.like(appNamed(loaded, 'auto-kill'), { minUptimeMs: 100, maxRestarts: 2, killTimeoutMs: 5000 });
});
