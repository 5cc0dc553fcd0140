import path from 'node:path';
import test from 'ava';
import { parseDocument } from 'yaml';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { commentedKeys, dig, exportTo, exportViaCli, notedKeys, RICH } from './helpers.js';

/** The file as a YAML 1.2 reader (Docker Compose) or a YAML 1.1 one (docker-compose 1, PyYAML) sees it. */
function parse(text: string, version: '1.1' | '1.2' = '1.2'): (path: string) => unknown {
  const doc = parseDocument(text, { version });
  if (doc.errors.length > 0) throw new Error(doc.errors.map(String).join('\n'));
  const value = doc.toJS() as unknown;
  return (path) => dig(value, path);
}

test('compose: services with depends_on conditions, healthchecks, restart policies and limits, read back by a YAML parser', async (t) => {
  const out = await exportViaCli('compose', ['--config', RICH, '--env', 'production', '--image', 'shop:1.4']);
  t.is(out.code, 0, out.stderr);
  const text = out.files['compose.yaml'] ?? '';
  const at = parse(text);
  t.is(at('name'), 'export');
  t.deepEqual(Object.keys(at('services') as object), ['db', 'api', 'migrate', 'worker']);

  t.deepEqual(at('services.api.command'), ['node', '--max-old-space-size=256', 'server.js', '--listen', '0.0.0.0']);
  t.is(at('services.api.image'), 'shop:1.4');
  t.is(at('services.api.working_dir'), '/app');
  t.is(at('services.api.environment.NODE_ENV'), 'production');
  // Compose would substitute $HOME and ${USER}: written $$ so the app sees them as they are.
  t.is(at('services.api.environment.GREETING'), 'it\'s "quoted" & 100% $$HOME $${USER}');
  t.deepEqual(at('services.api.depends_on'), { db: { condition: 'service_healthy' } });
  t.deepEqual(at('services.api.expose'), ['3000']);
  t.is(at('services.api.deploy.replicas'), 4);
  // Docker's daemon refuses a retry count on any policy but on-failure: api restarts however it exits, so no max_attempts.
  t.deepEqual(at('services.api.deploy.restart_policy'), { condition: 'any', delay: '2s', window: '10s' });
  t.deepEqual(at('services.api.deploy.resources.limits'), { memory: '300M' });
  t.is(at('services.api.restart'), 'unless-stopped');
  t.is(at('services.api.stop_grace_period'), '8s');
  t.is(at('services.api.stop_signal'), 'SIGINT');
  t.is(at('services.api.healthcheck.interval'), '2s');
  t.is(at('services.api.healthcheck.timeout'), '1s');
  t.is(at('services.api.healthcheck.retries'), 5);
  t.is(at('services.api.healthcheck.start_period'), '1s');
  t.regex(String(dig(at('services.api.healthcheck.test'), '1')), /fetch\('http:\/\/127\.0\.0\.1:3000\/health'\)/);

  t.deepEqual(at('services.db.ports'), ['5432:5432']);
  t.is(at('services.db.stop_signal'), 'SIGTERM');
  t.is(at('services.db.environment.DB_PASSWORD'), 's3cret value');
  t.regex(String(dig(at('services.db.healthcheck.test'), '1')), /connect\(5432, '127\.0\.0\.1'\)/);
  t.deepEqual(at('services.migrate.depends_on'), { db: { condition: 'service_healthy' } });
  t.is(at('services.migrate.restart'), 'no');
  t.deepEqual(at('services.migrate.command'), ['bash', 'migrate.sh']);
  t.deepEqual(at('services.worker.depends_on'), { api: { condition: 'service_healthy' } });
  t.is(at('services.worker.restart'), 'on-failure');
  t.deepEqual(at('services.worker.deploy.restart_policy'), { condition: 'on-failure', delay: '0s', max_attempts: 16, window: '1s' });
  t.deepEqual(at('services.migrate.deploy.restart_policy'), { condition: 'none', delay: '0s', window: '1s' });
  t.is(at('services.worker.image'), 'registry.example.com/worker:2');

  // A YAML 1.1 reader sees the same file: "no", "on" and "1:30" stay words.
  t.deepEqual(parseDocument(text, { version: '1.1' }).toJS(), parseDocument(text).toJS());
  t.is(parse(text, '1.1')('services.migrate.restart'), 'no');
  t.deepEqual([parse(text, '1.1')('services.api.environment.SWITCH'), parse(text, '1.1')('services.api.environment.LEGACY'), parse(text, '1.1')('services.api.environment.WINDOW')], ['on', 'no', '1:30']);

  const expected = [
    'api.cron_restart', 'api.ignore_watch', 'api.instances', 'api.log_date_format', 'api.max_restarts', 'api.min_uptime', 'api.out_file', 'api.ports',
    'api.restart_delay', 'api.watch',
    'db.log_max_files', 'db.log_max_size', 'db.node', 'worker.exp_backoff_restart_delay', 'worker.increment_var', 'worker.node', 'worker.wait_ready',
  ];
  t.deepEqual(notedKeys(out.stderr), expected);
  t.deepEqual(commentedKeys(text), expected);
});

test('compose: the demo and a pm2 .json file export and parse', async (t) => {
  const demo = await exportTo('compose', { config: 'ecosystem.example.ts', image: 'demo:1' });
  t.is(demo.code, 0, demo.stderr);
  const at = parse(demo.files['compose.yaml'] ?? '');
  t.deepEqual(at('services.seed.depends_on'), { api: { condition: 'service_healthy' } });
  // flaky restarts however it exits: Docker cannot cap that, and says so.
  t.deepEqual(at('services.flaky.deploy.restart_policy'), { condition: 'any', delay: '0s', window: '5s' });
  t.regex(demo.stderr, /^not translated flaky\.max_restarts: Docker counts restarts only with restart: on-failure/m);
  t.regex(demo.stderr, /^not translated flaky\.min_uptime: written as deploy\.restart_policy\.window, which only Swarm \(docker stack deploy\) honours/m);
  t.is(at('services.ticker.deploy.replicas'), 2);
  const json = await exportTo('compose', { config: 'test/fixtures/configs/process.json', image: 'demo:1' });
  t.is(json.code, 0, json.stderr);
  t.true(Object.keys(parse(json.files['compose.yaml'] ?? '')('services') as object).length > 0);
});

test('compose: each depends_on condition becomes the Compose condition that waits as long', async (t) => {
  const dir = tempDir('nu-export-compose-');
  const apps = [
    { name: 'db', script: 'db.js', readiness: { tcp: 5432 } },
    { name: 'cache', script: 'cache.js' },
    { name: 'logger', script: 'logger.js', readiness: { log: 'listening' } },
    { name: 'migrate', script: 'migrate.js', autorestart: false },
    { name: 'api', script: 'api.js', depends_on: { db: 'ready', cache: 'ready', logger: 'ready', migrate: 'completed' } },
    { name: 'web', script: 'web.js', depends_on: { db: 'started' } },
  ];
  writeFiles(dir, { 'ecosystem.config.json': JSON.stringify({ apps }) });
  const out = await exportTo('compose', { config: path.join(dir, 'ecosystem.config.json'), image: 'shop:1' });
  t.is(out.code, 0, out.stderr);
  const at = parse(out.files['compose.yaml'] ?? '');
  t.deepEqual(at('services.api.depends_on'), {
    db: { condition: 'service_healthy' },
    // Without a healthcheck Compose can only wait for the start: node-unit's "ready" of an app without readiness is its start too.
    cache: { condition: 'service_started' },
    // A log-line check has no healthcheck: listed on the dependency itself.
    logger: { condition: 'service_started' },
    migrate: { condition: 'service_completed_successfully' },
  });
  t.deepEqual(at('services.web.depends_on'), { db: { condition: 'service_started' } });
  t.deepEqual(notedKeys(out.stderr), ['logger.readiness']);
});

test("compose, k8s, nomad: a script, argument or variable given by its host path inside the project (__dirname + '/server.js') is its path in the image", async (t) => {
  const dir = tempDir('nu-export-abs-');
  const apps = [
    { name: 'api', script: path.join(dir, 'server.js'), args: ['--config', path.join(dir, 'conf', 'app.json'), '--log', '/var/log/api.log'], cwd: dir, env: { DATA: path.join(dir, 'data'), TMP: '/tmp' } },
    { name: 'tool', script: '/usr/local/bin/tool', cwd: path.join(dir, 'tools') },
  ];
  writeFiles(dir, { 'ecosystem.config.json': JSON.stringify({ apps }) });
  const config = path.join(dir, 'ecosystem.config.json');
  const compose = await exportTo('compose', { config, image: 'x' });
  t.is(compose.code, 0, compose.stderr);
  const at = parse(compose.files['compose.yaml'] ?? '');
  t.deepEqual(at('services.api.command'), ['node', '/app/server.js', '--config', '/app/conf/app.json', '--log', '/var/log/api.log']);
  t.deepEqual([at('services.tool.command'), at('services.tool.working_dir')], [['/usr/local/bin/tool'], '/app/tools']);
  t.deepEqual([at('services.api.environment.DATA'), at('services.api.environment.TMP')], ['/app/data', '/tmp']);
  const k8s = await exportTo('k8s', { config, image: 'x' });
  t.regex(Object.values(k8s.files)[0] ?? '', /args:\n\s+- \/app\/server\.js\n\s+- --config\n\s+- \/app\/conf\/app\.json/);
  const nomad = await exportTo('nomad', { config, image: 'x', json: true });
  t.regex(Object.values(nomad.files)[0] ?? '', /"args": \[\n\s+"\/app\/server\.js",\n\s+"--config",\n\s+"\/app\/conf\/app\.json"/);
  t.false(Object.values({ ...compose.files, ...k8s.files, ...nomad.files }).some((text) => text.includes(dir)), 'no host path of the project is left');
});

test('compose, k8s, nomad: an app whose cwd is outside the project keeps that folder, and is listed: the image holds only the project', async (t) => {
  const dir = tempDir('nu-export-cwd-');
  const outside = tempDir('nu-export-elsewhere-');
  writeFiles(dir, { 'ecosystem.config.json': JSON.stringify({ apps: [{ name: 'ext', script: 'x.js', cwd: outside }, { name: 'own', script: 'o.js' }] }) });
  for (const target of ['compose', 'k8s', 'nomad'] as const) {
    const out = await exportTo(target, { config: path.join(dir, 'ecosystem.config.json'), image: 'x' });
    t.is(out.code, 0, out.stderr);
    t.deepEqual(notedKeys(out.stderr), ['ext.cwd'], target);
    t.true(out.stderr.includes(`not translated ext.cwd: ${outside} is outside the project folder ${dir}, which the image holds at /app: it is written as is`), out.stderr);
  }
  const at = parse((await exportTo('compose', { config: path.join(dir, 'ecosystem.config.json'), image: 'x' })).files['compose.yaml'] ?? '');
  t.deepEqual([at('services.ext.working_dir'), at('services.own.working_dir')], [outside, '/app']);
});
