import { parse as parseHcl } from '@cdktf/hcl2json';
import test from 'ava';
import { commentedKeys, dig, exportTo, exportViaCli, notedKeys, RICH } from './helpers.js';

/** hcl2json puts every block body in a list: `group.api.0.count`. */
async function parse(text: string): Promise<(path: string) => unknown> {
  const value = (await parseHcl('job.nomad.hcl', text)) as unknown;
  return (path) => dig(value, path);
}

const EXPECTED = [
  'api.cron_restart', 'api.depends_on', 'api.ignore_watch', 'api.log_date_format', 'api.out_file', 'api.watch', 'db.readiness',
  'migrate.autorestart', 'migrate.depends_on', 'worker.depends_on', 'worker.exp_backoff_restart_delay', 'worker.increment_var', 'worker.node', 'worker.stop_exit_codes', 'worker.wait_ready',
];

const durationMs = (text: unknown): number => {
  const match = /^(\d+)(ms|s|m|h)$/.exec(String(text));
  if (!match) return Number.NaN;
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
};

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const entries = (value: unknown): [string, unknown][] => (value !== null && typeof value === 'object' ? Object.entries(value) : []);

/** The timing rules `nomad job validate` applies (nomad/structs: services.go, structs.go), as broken by a parsed job. */
function nomadTimingErrors(parsed: unknown): string[] {
  const errors: string[] = [];
  for (const [, jobs] of entries(dig(parsed, 'job'))) {
    for (const [name, groups] of entries(dig(list(jobs)[0], 'group'))) {
      const group = list(groups)[0];
      for (const restart of list(dig(group, 'restart'))) {
        const attempts = Number(dig(restart, 'attempts'));
        const interval = dig(restart, 'interval');
        if (interval !== undefined && durationMs(interval) < 5000) errors.push(`${name}: restart interval ${String(interval)} < 5s`);
        if (interval !== undefined && attempts * durationMs(dig(restart, 'delay') ?? '0s') > durationMs(interval)) errors.push(`${name}: ${attempts} restarts do not fit in ${String(interval)}`);
      }
      for (const reschedule of list(dig(group, 'reschedule'))) {
        if (dig(reschedule, 'attempts') === 0 && dig(reschedule, 'unlimited') === false) continue;
        const delay = durationMs(dig(reschedule, 'delay'));
        const max = durationMs(dig(reschedule, 'max_delay'));
        if (!(delay >= 5000)) errors.push(`${name}: reschedule delay ${String(dig(reschedule, 'delay'))} < 5s`);
        if (!(max >= delay)) errors.push(`${name}: reschedule max_delay below delay`);
      }
      for (const service of list(dig(group, 'service'))) {
        for (const check of list(dig(service, 'check'))) {
          if (!(durationMs(dig(check, 'interval')) >= 1000)) errors.push(`${name}: check interval ${String(dig(check, 'interval'))} < 1s`);
          if (!(durationMs(dig(check, 'timeout')) >= 1000)) errors.push(`${name}: check timeout ${String(dig(check, 'timeout'))} < 1s`);
        }
      }
    }
  }
  return errors;
}

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
  // readiness: { interval: '1s', timeout: '500ms' }: Nomad's shortest check timeout is 1 s.
  t.is(db('service.0.check.0.interval'), '1s');
  t.is(db('service.0.check.0.timeout'), '1s');
  t.is(db('task.db.0.template.0.env'), true);
  t.is(db('task.db.0.template.0.data'), 'DB_PASSWORD="s3cret value"\nDB_NAME="shop"\n');
  t.deepEqual(db('task.db.0.env.0'), { DB_MODE: 'primary', DB_PORT: '5432', NODE_APP_INSTANCE: '0' });
  t.deepEqual(db('task.db.0.logs.0'), { max_files: 3, max_file_size: 10 });

  t.deepEqual(job('group.migrate.0.restart'), [{ attempts: 0, mode: 'fail' }]);
  // exp_backoff_restart_delay: 100: Nomad reschedules no sooner than 5 s.
  t.deepEqual(job('group.worker.0.reschedule.0'), { delay: '5s', delay_function: 'exponential', max_delay: '15s', unlimited: true });
  t.regex(out.stderr, /^not translated db\.readiness: Nomad's shortest check timeout is 1s: 500ms is written as 1s$/m);
  t.regex(out.stderr, /^not translated worker\.exp_backoff_restart_delay: Nomad's shortest reschedule delay is 5s: 100ms is written as 5s$/m);
  t.deepEqual(nomadTimingErrors(await parseHcl('job.nomad.hcl', text)), []);
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
  // The job and its file are named after the project's folder, which is wherever this checkout lives.
  const file = Object.keys(out.files).find((name) => name.endsWith('.nomad.hcl'));
  const at = await parse(file === undefined ? '' : (out.files[file] ?? ''));
  const jobs = at('job');
  const [job] = typeof jobs === 'object' && jobs !== null ? Object.keys(jobs) : [];
  t.is(at(`job.${job}.0.group.ticker.0.count`), 2);
  t.deepEqual(at(`job.${job}.0.group.flaky.0.restart.0`), { attempts: 5, interval: '30s', delay: '0s', mode: 'fail' });
  // readiness: { interval: '250ms' }: raised to Nomad's shortest, 1 s.
  t.is(at(`job.${job}.0.group.api.0.service.0.check.0.interval`), '1s');
  t.deepEqual(notedKeys(out.stderr), ['api.env_production', 'api.readiness', 'flaky.exp_backoff_restart_delay', 'seed.autorestart', 'seed.depends_on']);
  t.deepEqual(nomadTimingErrors(await parseHcl('job.nomad.hcl', file === undefined ? '' : (out.files[file] ?? ''))), []);
});
