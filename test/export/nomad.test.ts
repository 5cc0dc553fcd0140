import { parse as parseHcl } from '@cdktf/hcl2json';
import test from 'ava';
import { commentedKeys, dig, exportTo, exportViaCli, notedKeys, RICH } from './helpers.js';

/** hcl2json puts every block body in a list: `group.api.0.count`. */
async function parse(text: string): Promise<(path: string) => unknown> {
  const value = (await parseHcl('job.nomad.hcl', text)) as unknown;
  return (path) => dig(value, path);
}

const EXPECTED = [
  'api.cron_restart', 'api.depends_on', 'api.ignore_watch', 'api.log_date_format', 'api.out_file', 'api.watch',
  'migrate.autorestart', 'migrate.depends_on', 'worker.depends_on', 'worker.increment_var', 'worker.node', 'worker.stop_exit_codes', 'worker.wait_ready',
];

test('nomad: one job with a group per app, read back by an HCL parser', async (t) => {
  const out = await exportViaCli('nomad', ['--config', RICH, '--env', 'production', '--image', 'shop:1.4']);
  t.is(out.code, 0, out.stderr);
  const text = out.files['export.nomad.hcl'] ?? '';
  const at = await parse(text);
  const job = (path: string): unknown => at(`job.export.0.${path}`);
  t.is(job('type'), 'service');
  t.deepEqual(Object.keys(job('group') as object).sort(), ['api', 'db', 'migrate', 'worker']);

  const api = (path: string): unknown => job(`group.api.0.${path}`);
  t.is(api('count'), 4);
  t.is(api('meta'), undefined);
  t.deepEqual(api('restart'), [{ attempts: 10, interval: '132s', delay: '2s', mode: 'fail' }]);
  t.deepEqual(api('network.0.port.http.0'), { to: 3000 });
  t.deepEqual(job('group.db.0.network.0.port.db.0'), { static: 5432, to: 5432 });
  t.is(api('service.0.check.0.type'), 'http');
  t.is(api('service.0.check.0.path'), '/health');
  t.is(api('service.0.check.0.interval'), '2s');
  t.is(api('service.0.check.0.timeout'), '1s');
  t.is(api('service.0.port'), 'http');
  t.is(api('task.api.0.kill_timeout'), '8s');
  t.is(api('task.api.0.kill_signal'), 'SIGINT');
  t.is(api('task.api.0.config.0.image'), 'shop:1.4');
  t.is(api('task.api.0.config.0.command'), 'node');
  t.deepEqual(api('task.api.0.config.0.args'), ['--max-old-space-size=256', 'server.js', '--listen', '0.0.0.0']);
  t.is(api('task.api.0.env.0.NODE_ENV'), 'production');
  // The parser gives the template as written: $${ is a literal ${, not an interpolation.
  t.is(api('task.api.0.env.0.GREETING'), 'it\'s "quoted" & 100% $HOME $${USER}');
  t.is(api('task.api.0.env.0.NODE_APP_INSTANCE'), '${NOMAD_ALLOC_INDEX}');
  t.is(api('task.api.0.resources.0.memory'), 300);

  const db = (path: string): unknown => job(`group.db.0.${path}`);
  t.is(db('constraint.0.attribute'), '${meta.role}');
  t.is(db('constraint.0.value'), 'db');
  t.is(db('service.0.check.0.type'), 'tcp');
  t.is(db('task.db.0.template.0.env'), true);
  t.is(db('task.db.0.template.0.data'), 'DB_PASSWORD="s3cret value"\nDB_NAME="shop"\n');
  t.deepEqual(db('task.db.0.env.0'), { DB_MODE: 'primary', DB_PORT: '5432', NODE_APP_INSTANCE: '0' });
  t.deepEqual(db('task.db.0.logs.0'), { max_files: 3, max_file_size: 10 });

  t.deepEqual(job('group.migrate.0.restart'), [{ attempts: 0, mode: 'fail' }]);
  t.deepEqual(job('group.worker.0.reschedule.0'), { delay: '100ms', delay_function: 'exponential', max_delay: '15s', unlimited: true });
  t.is(job('group.worker.0.task.worker.0.config.0.image'), 'registry.example.com/worker:2');

  t.deepEqual(notedKeys(out.stderr), EXPECTED);
  t.deepEqual(commentedKeys(text), EXPECTED);
});

test('nomad --json: the same job in HCL\'s JSON syntax, with the notes under "//"', async (t) => {
  const hcl = await exportTo('nomad', { config: RICH, env: 'production', image: 'shop:1.4' });
  const json = await exportTo('nomad', { config: RICH, env: 'production', image: 'shop:1.4', json: true });
  t.is(json.code, 0, json.stderr);
  const { '//': notes, ...job } = JSON.parse(json.files['export.nomad.json'] ?? '{}') as Record<string, unknown>;
  t.deepEqual(job, await parseHcl('job.nomad.hcl', hcl.files['export.nomad.hcl'] ?? ''));
  t.deepEqual([...String(notes).matchAll(/^\s+(\S+?): /gm)].map((m) => m[1]).sort(), EXPECTED);
});

test('nomad: the demo exports and parses', async (t) => {
  const out = await exportTo('nomad', { config: 'ecosystem.example.ts', image: 'demo:1' });
  t.is(out.code, 0, out.stderr);
  // The job takes the name of the config's folder: this checkout's, whatever it is called.
  const [text = ''] = Object.values(out.files);
  const at = await parse(text);
  const [name] = Object.keys(at('job') as object);
  t.is(at(`job.${name}.0.group.ticker.0.count`), 2);
  t.deepEqual(at(`job.${name}.0.group.flaky.0.restart.0`), { attempts: 5, interval: '30s', delay: '0s', mode: 'fail' });
  t.deepEqual(notedKeys(out.stderr), ['seed.autorestart', 'seed.depends_on']);
});
