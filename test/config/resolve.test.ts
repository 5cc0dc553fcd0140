import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { appNamed, json, loadFiles } from '../helpers/config.js';

const cpus = os.availableParallelism();

test("instances: 'max' and 0 mean one per CPU, -1 means CPUs - 1, \"2\" means 2", async (t) => {
  const loaded = await loadFiles(
    json({
      apps: [
        { name: 'max', script: 'a.js', instances: 'max' },
        { name: 'zero', script: 'a.js', instances: 0 },
        { name: 'minus', script: 'a.js', instances: -1 },
        { name: 'text', script: 'a.js', instances: '2' },
        { name: 'none', script: 'a.js' },
      ],
    }),
  );
  t.is(appNamed(loaded, 'max').instances, cpus);
  t.is(appNamed(loaded, 'zero').instances, cpus);
  t.is(appNamed(loaded, 'minus').instances, Math.max(1, cpus - 1));
  t.is(appNamed(loaded, 'text').instances, 2);
  t.is(appNamed(loaded, 'none').instances, 1);
});

test('exec_mode defaults to cluster when instances is set for a .js script, fork otherwise', async (t) => {
  const loaded = await loadFiles(
    json({
      apps: [
        { name: 'one', script: 'a.js', instances: 1 },
        { name: 'plain', script: 'a.js' },
        { name: 'npm', script: 'npm', args: 'start', instances: 2 },
        { name: 'py', script: 'a.py', instances: 2 },
        { name: 'forced', script: 'a.js', instances: 2, exec_mode: 'fork_mode' },
      ],
    }),
  );
  t.is(appNamed(loaded, 'one').execMode, 'cluster');
  t.is(appNamed(loaded, 'plain').execMode, 'fork');
  t.is(appNamed(loaded, 'npm').execMode, 'fork');
  t.is(appNamed(loaded, 'py').execMode, 'fork');
  t.is(appNamed(loaded, 'forced').execMode, 'fork');
  t.deepEqual(loaded.warnings, []);
});

test("exec_mode: 'cluster' on npm falls back to fork with a warning", async (t) => {
  const loaded = await loadFiles(json({ apps: [{ name: 'web', script: 'npm', args: 'start', exec_mode: 'cluster' }] }));
  t.is(appNamed(loaded, 'web').execMode, 'fork');
  t.deepEqual(loaded.warnings.map((w) => [w.path, w.message]), [['apps[0].exec_mode', 'cluster mode needs a node script; "npm" runs in fork mode']]);
});

test("cwd, out_file, error_file, log_file and env_file resolve against the config file's folder", async (t) => {
  const loaded = await loadFiles(
    {
      'deploy/.env': 'A=1\n',
      'deploy/ecosystem.config.json': JSON.stringify({
        apps: [{ name: 'api', script: 'server.js', cwd: '../app', out_file: 'logs/out.log', error_file: '/var/log/api.err', log_file: './all.log', env_file: '.env', watch: ['src'] }],
      }),
      'other/.keep': '',
    },
    { configPath: 'deploy' },
  );
  const app = appNamed(loaded, 'api');
  const deploy = path.join(loaded.dir, 'deploy');
  t.is(app.cwd, path.join(loaded.dir, 'app'));
  t.is(app.logs.outFile, path.join(deploy, 'logs/out.log'));
  t.is(app.logs.errorFile, '/var/log/api.err');
  t.is(app.logs.combinedFile, path.join(deploy, 'all.log'));
  t.deepEqual(app.env, { A: '1' });
  t.deepEqual(app.watch?.paths, [path.join(loaded.dir, 'app', 'src')]);
});

test("'/dev/null' disables a log file; default logs live in the state folder", async (t) => {
  const loaded = await loadFiles(json({ apps: [{ name: 'my api', script: 'a.js', out_file: '/dev/null' }] }));
  const app = appNamed(loaded, 'my api');
  t.is(app.logs.outFile, null);
  t.is(app.logs.errorFile, path.join(loaded.dir, '.node-unit', 'logs', 'my-api-error.log'));
  t.is(app.logs.combinedFile, null);
});

test('log_buffer sets the lines kept for viewers per instance; 2000 by default', async (t) => {
  const loaded = await loadFiles(json({ apps: [{ name: 'chatty', script: 'a.js', log_buffer: 50_000 }, { name: 'quiet', script: 'a.js' }] }));
  t.is(appNamed(loaded, 'chatty').logs.bufferLines, 50_000);
  t.is(appNamed(loaded, 'quiet').logs.bufferLines, 2000);
});

test('state folder: .node-unit beside the config by default', async (t) => {
  const loaded = await loadFiles({ 'sub/ecosystem.config.json': JSON.stringify({ apps: [{ script: 'a.js' }] }) }, { configPath: 'sub' });
  t.is(loaded.stateDir, path.join(loaded.dir, 'sub', '.node-unit'));
});

test('state folder: --state-dir wins over NODE_UNIT_STATE_DIR, both relative to the cwd', async (t) => {
  const files = json({ apps: [{ script: 'a.js' }] });
  const fromEnv = await loadFiles(files, { env: { NODE_UNIT_STATE_DIR: 'state-env' } });
  t.is(fromEnv.stateDir, path.join(fromEnv.dir, 'state-env'));
  t.is(fromEnv.apps[0]?.logs.outFile, path.join(fromEnv.dir, 'state-env', 'logs', 'a-out.log'));
  const fromOption = await loadFiles(files, { stateDir: '/tmp/somewhere', env: { NODE_UNIT_STATE_DIR: 'state-env' } });
  t.is(fromOption.stateDir, '/tmp/somewhere');
});

test('defaults follow pm2 where pm2 has one', async (t) => {
  const loaded = await loadFiles(json({ apps: [{ script: './bin/www' }] }));
  const app = appNamed(loaded, 'www');
  t.like(app, {
    namespace: 'default',
    instances: 1,
    execMode: 'fork',
    autostart: true,
    autorestart: true,
    maxRestarts: 16,
    minUptimeMs: 1000,
    restartDelayMs: 0,
    killTimeoutMs: 1600,
    killSignal: 'SIGINT',
    listenTimeoutMs: 3000,
    instanceVar: 'NODE_APP_INSTANCE',
    waitReady: false,
    expBackoffRestartDelayMs: undefined,
  });
  t.deepEqual(app.args, []);
});

test('zero values mean what they say (pm2 drops them)', async (t) => {
  const loaded = await loadFiles(json({ apps: [{ name: 'a', script: 'a.js', max_restarts: 0, kill_timeout: 0, restart_delay: 0, merge_logs: false }] }));
  t.like(appNamed(loaded, 'a'), { maxRestarts: 0, killTimeoutMs: 0, restartDelayMs: 0, logs: { merge: false } });
});

test('units, args and lists are normalized', async (t) => {
  const loaded = await loadFiles(
    json({
      apps: [
        {
          name: 'a',
          script: 'a.js',
          args: '--name "two words" -x',
          node_args: ['--max-old-space-size=512'],
          min_uptime: '10s',
          max_memory_restart: '1G',
          kill_signal: 'term',
          stop_exit_codes: 0,
          ports: { http: 0, 'admin-api': 9000, PORT: 3000 },
          depends_on: ['db'],
          readiness: { http: 'http://127.0.0.1:3000/health', interval: '1s' },
        },
        { name: 'db', script: 'db.js' },
      ],
    }),
  );
  t.like(appNamed(loaded, 'a'), {
    args: ['--name', 'two words', '-x'],
    interpreterArgs: ['--max-old-space-size=512'],
    minUptimeMs: 10_000,
    maxMemoryBytes: 1024 ** 3,
    killSignal: 'SIGTERM',
    stopExitCodes: [0],
    ports: { HTTP_PORT: 0, ADMIN_API_PORT: 9000, PORT: 3000 },
    dependsOn: [{ app: 'db', condition: 'ready' }],
    readiness: { check: { kind: 'http', url: 'http://127.0.0.1:3000/health' }, intervalMs: 1000 },
  });
});
