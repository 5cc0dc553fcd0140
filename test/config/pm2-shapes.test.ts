import test from 'ava';
import { appNamed, brief, loadError, loadFiles } from '../helpers/config.js';

const YAML = `apps:
  - name: api
    script: server.js
    instances: 2
    env:
      NODE_ENV: production
  - script: worker.js
    max_memory_restart: 150M
`;

test('a YAML ecosystem (.yml and .yaml) loads as pm2 reads it, and is found without --config', async (t) => {
  for (const name of ['ecosystem.config.yml', 'ecosystem.config.yaml']) {
    const loaded = await loadFiles({ [name]: YAML });
    t.true(loaded.file.endsWith(name));
    t.like(appNamed(loaded, 'api'), { instances: 2, execMode: 'cluster', env: { NODE_ENV: 'production' } });
    t.like(appNamed(loaded, 'worker'), { maxMemoryBytes: 150 * 1024 ** 2 });
  }
  const process = await loadFiles({ 'process.yml': YAML }, { configPath: 'process.yml' });
  t.is(process.apps.length, 2);
});

test('broken YAML names the file, line and column', async (t) => {
  const error = await loadError({ 'ecosystem.config.yml': 'apps:\n  - name: api\n    script: [server.js\n' });
  const [issue] = error.issues;
  t.regex(issue?.message ?? '', /^ecosystem\.config\.yml:4:1: invalid YAML: /);
});

test('an empty file and a pm2 serve config get a clear error', async (t) => {
  for (const name of ['ecosystem.config.yml', 'ecosystem.config.json', 'ecosystem.config.js']) {
    const error = await loadError({ [name]: '\n  \n' });
    t.deepEqual(brief(error.issues).map((d) => d.message), ['the file is empty'], name);
  }
  const serve = await loadError({ 'ecosystem.config.yml': 'apps:\n  - name: static\n    script: serve\n    env:\n      PM2_SERVE_PATH: .\n      PM2_SERVE_PORT: 8080\n' });
  t.is(serve.issues[0]?.path, 'apps[0].script');
  t.regex(serve.issues[0]?.message ?? '', /'pm2 serve' static file server/);
});

test('.json and .json5 are read as pm2 reads them: a JavaScript expression with process.env', async (t) => {
  const source = `// pm2 evaluates this file
{
  apps: [{
    name: 'api', /* single quotes, unquoted keys */
    script: "server.js",
    env: { PORT: process.env.PORT || '3000', MODE: process.env.MODE || 'dev' },
  }],
}`;
  for (const name of ['ecosystem.config.json', 'app.json5']) {
    const loaded = await loadFiles({ [name]: source }, { configPath: name, env: { PORT: '8080' } });
    t.deepEqual(appNamed(loaded, 'api').env, { PORT: '8080', MODE: 'dev' }, name);
  }
  const broken = await loadError({ 'ecosystem.config.json': '{\n  "apps": [\n    { "name": "api" "script": "a.js" }\n  ]\n}\n' });
  t.regex(broken.issues[0]?.message ?? '', /^ecosystem\.config\.json:3:21: invalid JSON: /);
});

test("the legacy top-level pm2: [...] is read as apps", async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.json': '{ "pm2": [{ "name": "api", "script": "server.js" }] }' });
  t.deepEqual(loaded.apps.map((app) => app.name), ['api']);
  t.deepEqual(brief(loaded.warnings), []);
});

test('an env value that is an object or array is passed as its JSON text, with a warning', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.json': '{ "apps": [{ "name": "api", "script": "a.js", "env": { "DB": { "host": "x" }, "LIST": [1, 2] } }] }' });
  t.deepEqual(appNamed(loaded, 'api').env, { DB: '{"host":"x"}', LIST: '[1,2]' });
  t.deepEqual(brief(loaded.warnings).map((d) => d.path), ['apps[0].env.DB', 'apps[0].env.LIST']);
});

test("'', false and null mean 'not set' where pm2 reads them so; zero and the keys that take them keep their meaning", async (t) => {
  const app = {
    name: '',
    script: 'worker.js',
    out_file: '',
    error_file: null,
    cron_restart: false,
    max_memory_restart: false,
    interpreter: '',
    instances: null,
    kill_timeout: null,
    min_uptime: '',
    namespace: '',
    cwd: null,
    args: null,
    env: null,
    exec_mode: '',
    pid_file: '',
    watch: false,
    autorestart: false,
    max_restarts: 0,
    log_date_format: '',
  };
  const loaded = await loadFiles({ 'ecosystem.config.json': JSON.stringify({ apps: [app] }) });
  t.deepEqual(brief(loaded.warnings), []);
  const worker = appNamed(loaded, 'worker');
  t.like(worker, { instances: 1, execMode: 'fork', cronRestart: undefined, maxMemoryBytes: undefined, interpreter: undefined, killTimeoutMs: 1600, minUptimeMs: 1000, namespace: 'default', cwd: loaded.dir, args: [], env: {}, watch: undefined, autorestart: false, maxRestarts: 0, pidFile: undefined });
  t.true(worker.logs.outFile?.endsWith('worker-out.log'));
  t.true(worker.logs.errorFile?.endsWith('worker-error.log'));
});

test("pm2's other key names (exec, out, err, log, pid, cron) and a pm2 serve static config", async (t) => {
  const app = { name: 'api', exec: 'server.js', out: './o.log', err: './e.log', log: './all.log', pid: './api.pid', cron: '0 3 * * *' };
  const loaded = await loadFiles({ 'ecosystem.config.json': JSON.stringify({ apps: [app] }) });
  t.deepEqual(brief(loaded.warnings), []);
  const api = appNamed(loaded, 'api');
  t.like(api, { script: 'server.js', cronRestart: '0 3 * * *', pidFile: `${loaded.dir}/api.pid` });
  t.like(api.logs, { outFile: `${loaded.dir}/o.log`, errorFile: `${loaded.dir}/e.log`, combinedFile: `${loaded.dir}/all.log` });
  const serve = await loadError({ 'ecosystem.config.json': '{ "static": [{ "path": ".", "port": 8081 }] }' });
  t.is(serve.issues[0]?.path, 'static');
  t.regex(serve.issues[0]?.message ?? '', /'pm2 serve' static file server config/);
});

test('what was written travels as plain data: a RegExp or BigInt as text, so a spec always survives JSON', async (t) => {
  const loaded = await loadFiles({ 'ecosystem.config.js': "module.exports = { apps: [{ name: 'a', script: 'a.js', pmx: 10n, readiness: { log: /ready/ } }] };\n" });
  const app = appNamed(loaded, 'a');
  t.like(app.written, { pmx: '10', readiness: { log: '/ready/' } });
  t.notThrows(() => JSON.stringify(app));
});
