import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { parseAllDocuments } from 'yaml';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { commentedKeys, dig, exportTo, exportViaCli, notedKeys, RICH } from './helpers.js';

/** The file as a YAML 1.2 reader or a YAML 1.1 one (Kubernetes' sigs.k8s.io/yaml, on go-yaml v2) sees it. */
function parse(text: string, version: '1.1' | '1.2' = '1.2'): unknown[] {
  const docs = parseAllDocuments(text, { version });
  for (const doc of docs) if (doc.errors.length > 0) throw new Error(doc.errors.map(String).join('\n'));
  return docs.map((doc) => doc.toJS() as unknown);
}

/** The object of that kind and name, read by dotted paths. */
function find(docs: readonly unknown[], kind: string, name: string): (path: string) => unknown {
  const found = docs.find((d) => dig(d, 'kind') === kind && dig(d, 'metadata.name') === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${docs.map((d) => `${String(dig(d, 'kind'))}/${String(dig(d, 'metadata.name'))}`).join(', ')}`);
  return (path) => dig(found, path);
}

test('k8s: a rich pm2 file becomes ConfigMaps, Deployments, a DaemonSet, a Job and Services that a YAML parser reads back', async (t) => {
  const out = await exportViaCli('k8s', ['--config', RICH, '--env', 'production', '--image', 'shop:1.4']);
  t.is(out.code, 0, out.stderr);
  const [name, text] = Object.entries(out.files)[0] ?? ['', ''];
  t.is(name, 'export.k8s.yaml');
  const docs = parse(text);

  const api = find(docs, 'Deployment', 'api');
  const container = (path: string): unknown => api(`spec.template.spec.containers.0.${path}`);
  t.is(api('spec.replicas'), 4);
  t.is(api('spec.template.spec.terminationGracePeriodSeconds'), 8);
  t.is(container('image'), 'shop:1.4');
  t.is(container('workingDir'), '/app');
  t.deepEqual(container('command'), ['node']);
  t.deepEqual(container('args'), ['--max-old-space-size=256', 'server.js', '--listen', '0.0.0.0']);
  t.deepEqual(container('envFrom'), [{ configMapRef: { name: 'api-env' } }]);
  t.deepEqual(container('ports'), [{ name: 'http', containerPort: 3000 }]);
  t.deepEqual(container('resources'), { limits: { memory: '300Mi' } });
  t.deepEqual(container('readinessProbe'), { httpGet: { path: '/health', port: 3000, scheme: 'HTTP' }, periodSeconds: 2, timeoutSeconds: 1, initialDelaySeconds: 1, failureThreshold: 5 });
  t.deepEqual(container('livenessProbe.httpGet'), { path: '/health', port: 3000, scheme: 'HTTP' });
  t.is(container('livenessProbe.initialDelaySeconds'), 11);

  const apiEnv = find(docs, 'ConfigMap', 'api-env');
  t.is(apiEnv('data.NODE_ENV'), 'production');
  t.is(apiEnv('data.LOG_LEVEL'), 'warn');
  t.is(apiEnv('data.GREETING'), 'it\'s "quoted" & 100% $HOME ${USER}');
  t.is(apiEnv('data.HTTP_PORT'), '3000');
  // Kubernetes reads YAML 1.1: a ConfigMap value must not turn into a boolean or a number there.
  t.deepEqual(parse(text, '1.1'), docs);
  const apiEnv11 = find(parse(text, '1.1'), 'ConfigMap', 'api-env');
  t.deepEqual([apiEnv11('data.SWITCH'), apiEnv11('data.LEGACY'), apiEnv11('data.WINDOW')], ['on', 'no', '1:30']);
  t.deepEqual(find(docs, 'Service', 'api')('spec.ports'), [{ name: 'http', port: 3000, targetPort: 'http' }]);

  const db = find(docs, 'Deployment', 'db');
  t.deepEqual(db('spec.template.spec.nodeSelector'), { role: 'db' });
  t.deepEqual(db('spec.template.spec.containers.0.readinessProbe.tcpSocket'), { port: 5432 });
  t.is(db('spec.template.spec.terminationGracePeriodSeconds'), 5);
  t.deepEqual(find(docs, 'ConfigMap', 'db-env')('data'), { DB_PASSWORD: 's3cret value', DB_NAME: 'shop', DB_MODE: 'primary', DB_PORT: '5432', NODE_APP_INSTANCE: '0' });

  const worker = find(docs, 'DaemonSet', 'worker');
  t.is(worker('spec.template.spec.containers.0.image'), 'registry.example.com/worker:2');
  t.deepEqual(worker('spec.template.spec.containers.0.command'), ['python3']);
  t.deepEqual(worker('spec.template.spec.containers.0.args'), ['worker.py']);

  const migrate = find(docs, 'Job', 'migrate');
  t.is(migrate('spec.template.spec.restartPolicy'), 'Never');
  t.is(migrate('spec.backoffLimit'), 0);
  t.deepEqual(migrate('spec.template.spec.containers.0.command'), ['bash']);

  const expected = [
    'api.cron_restart', 'api.depends_on', 'api.ignore_watch', 'api.instances', 'api.log_date_format', 'api.max_restarts', 'api.min_uptime',
    'api.out_file', 'api.restart_delay', 'api.watch', 'db.log_max_files', 'db.log_max_size', 'migrate.depends_on', 'worker.depends_on',
    'worker.exp_backoff_restart_delay', 'worker.increment_var', 'worker.stop_exit_codes', 'worker.wait_ready',
  ];
  t.deepEqual(notedKeys(out.stderr), expected);
  t.deepEqual(commentedKeys(text), expected);
});

test('k8s: an app with no image and no --image is an error that names it', async (t) => {
  const out = await exportViaCli('k8s', ['--config', RICH]);
  t.is(out.code, 1);
  t.regex(out.stderr, /no image for apps db, api, migrate: .*\n.*--image <image>/);
  t.deepEqual(out.files, {});
});

test('k8s: the demo ecosystem exports and parses', async (t) => {
  const out = await exportTo('k8s', { config: 'ecosystem.example.ts', image: 'demo:1' });
  t.is(out.code, 0, out.stderr);
  const docs = parse(Object.values(out.files)[0] ?? '');
  t.is(find(docs, 'Deployment', 'ticker')('spec.replicas'), 2);
  t.is(find(docs, 'Job', 'seed')('spec.template.spec.containers.0.image'), 'demo:1');
  t.is(find(docs, 'Deployment', 'api')('spec.template.spec.terminationGracePeriodSeconds'), 3);
  t.deepEqual(notedKeys(out.stderr), ['api.env_production', 'flaky.exp_backoff_restart_delay', 'flaky.max_restarts', 'flaky.min_uptime', 'seed.depends_on', 'ticker.instances']);
  // Exported without --env: the production block is left out, and said so.
  t.regex(out.stderr, /^not translated api\.env_production: not exported: no --env was given; export with --env production for its variables$/m);
});

test('--json is a usage error for any target but nomad', async (t) => {
  const out = await exportViaCli('k8s', ['--config', RICH, '--image', 'shop:1.4', '--json']);
  t.is(out.code, 2);
  t.regex(out.stderr, /--json is for nomad/);
});

test('k8s: a pm2 YAML ecosystem exports too, its env profile applied', async (t) => {
  const dir = tempDir('nu-export-yaml-');
  writeFiles(dir, {
    'ecosystem.config.yml': [
      'apps:',
      '  - name: api',
      '    script: server.js',
      '    instances: 3',
      '    exec_mode: cluster',
      '    kill_timeout: 4000',
      '    env:',
      '      NODE_ENV: development',
      '    env_production:',
      '      NODE_ENV: production',
      '',
    ].join('\n'),
  });
  const out = await exportTo('k8s', { config: path.join(dir, 'ecosystem.config.yml'), env: 'production', image: 'shop:1' });
  t.is(out.code, 0, out.stderr);
  const docs = parse(Object.values(out.files)[0] ?? '');
  t.is(find(docs, 'Deployment', 'api')('spec.replicas'), 3);
  t.is(find(docs, 'Deployment', 'api')('spec.template.spec.terminationGracePeriodSeconds'), 4);
  t.is(find(docs, 'ConfigMap', 'api-env')('data.NODE_ENV'), 'production');
});

test("k8s, nomad, compose: instances 'max', 0 or -1 count this machine's CPUs, so the count is listed as such", async (t) => {
  const dir = tempDir('nu-export-cpus-');
  const apps = [
    { name: 'all', script: 'a.js', instances: 'max', exec_mode: 'fork' },
    { name: 'zero', script: 'z.js', instances: 0, exec_mode: 'fork' },
    { name: 'less', script: 'l.js', instances: -1, exec_mode: 'fork' },
    { name: 'three', script: 't.js', instances: 3, exec_mode: 'fork' },
  ];
  writeFiles(dir, { 'ecosystem.config.json': JSON.stringify({ apps }) });
  const config = path.join(dir, 'ecosystem.config.json');
  const cpus = os.availableParallelism();
  const out = await exportTo('k8s', { config, image: 'x' });
  t.is(out.code, 0, out.stderr);
  t.is(find(parse(Object.values(out.files)[0] ?? ''), 'Deployment', 'all')('spec.replicas'), cpus);
  t.regex(out.stderr, new RegExp(`^not translated all\\.instances: counts the CPUs of the machine the app runs on: written as ${cpus}, the count of this machine; write the number of replicas you want`, 'm'));
  for (const target of ['k8s', 'nomad', 'compose'] as const) {
    const exported = target === 'k8s' ? out : await exportTo(target, { config, image: 'x' });
    t.true(['all', 'zero', 'less'].every((app) => exported.stderr.includes(`not translated ${app}.instances: counts the CPUs`)), `${target}:\n${exported.stderr}`);
    t.false(exported.stderr.includes('three.instances: counts the CPUs'), target);
  }
});

test('k8s: an app on every node that does not start by itself is listed: a DaemonSet cannot wait at zero replicas', async (t) => {
  const dir = tempDir('nu-export-ds-');
  writeFiles(dir, { 'ecosystem.config.json': JSON.stringify({ apps: [{ name: 'agent', script: 'a.js', node: 'all', autostart: false }, { name: 'idle', script: 'i.js', autostart: false }] }) });
  const out = await exportTo('k8s', { config: path.join(dir, 'ecosystem.config.json'), image: 'x' });
  t.is(out.code, 0, out.stderr);
  const docs = parse(Object.values(out.files)[0] ?? '');
  t.is(find(docs, 'DaemonSet', 'agent')('kind'), 'DaemonSet');
  t.is(find(docs, 'Deployment', 'idle')('spec.replicas'), 0);
  t.deepEqual(notedKeys(out.stderr), ['agent.autostart']);
});

test('k8s: a namespace other than default comes first in the file as a Namespace object, so kubectl apply can create what is in it', async (t) => {
  const dir = tempDir('nu-export-ns-');
  writeFiles(dir, { 'ecosystem.config.json': JSON.stringify({ apps: [{ name: 'api', script: 'a.js', namespace: 'shop' }, { name: 'job', script: 'j.js', namespace: 'shop' }, { name: 'plain', script: 'p.js' }] }) });
  const out = await exportTo('k8s', { config: path.join(dir, 'ecosystem.config.json'), image: 'x' });
  t.is(out.code, 0, out.stderr);
  const docs = parse(Object.values(out.files)[0] ?? '');
  t.deepEqual(docs[0], { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  t.is(docs.filter((doc) => dig(doc, 'kind') === 'Namespace').length, 1);
  t.is(find(docs, 'Deployment', 'api')('metadata.namespace'), 'shop');
  t.is(find(docs, 'Deployment', 'plain')('metadata.namespace'), 'default');
});
