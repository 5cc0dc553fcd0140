import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { CLI } from '../helpers/cli.js';
import { commentedKeys, exportTo, exportViaCli, hasSystemdAnalyze, notedKeys, RICH, verifyUnits } from './helpers.js';

const FIXTURE_DIR = path.dirname(RICH);

/** `Key=value` lines of one section, in order. */
function entries(text: string, section: string): string[] {
  const body = text.split(/^\[/m).find((part) => part.startsWith(`${section}]`)) ?? '';
  return body.split('\n').slice(1).filter((line) => line !== '' && !line.startsWith('#'));
}

test('systemd: a unit per app, a template unit and a target for instances; systemd-analyze verify accepts them', async (t) => {
  const out = await exportViaCli('systemd', ['--config', RICH, '--env', 'production']);
  t.is(out.code, 0, out.stderr);
  t.deepEqual(Object.keys(out.files).sort(), ['api.target', 'api@.service', 'db.service', 'migrate.service', 'worker.service']);

  const api = out.files['api@.service'] ?? '';
  t.deepEqual(entries(api, 'Unit'), ['Description=api (export) instance %i', 'After=network.target db.service', 'Requires=db.service', 'PartOf=api.target', 'StartLimitIntervalSec=132s', 'StartLimitBurst=11']);
  const service = entries(api, 'Service');
  t.true(service.includes(`WorkingDirectory=${FIXTURE_DIR}`));
  t.true(service.includes('Environment=NODE_ENV=production'));
  t.true(service.includes('Environment="GREETING=it\'s \\"quoted\\" & 100%% $HOME ${USER}"'));
  t.true(service.includes('Environment=NODE_APP_INSTANCE=%i'));
  t.true(service.includes(`ExecStart=${process.execPath} --max-old-space-size=256 ${FIXTURE_DIR}/server.js --listen 0.0.0.0`));
  t.true(service.includes('Restart=always'));
  t.true(service.includes('RestartSec=2000ms'));
  t.true(service.includes('TimeoutStopSec=8s'));
  t.true(service.includes(`MemoryMax=${300 * 1024 * 1024}`));
  t.true(service.includes(`StandardOutput=append:${FIXTURE_DIR}/logs/api-out.log`));
  t.true(service.some((line) => line.startsWith('ExecStartPost=/bin/sh -c "sleep 1; until ') && line.includes("fetch('http://127.0.0.1:3000/health')")));
  t.deepEqual(entries(out.files['api.target'] ?? '', 'Unit').slice(1), ['Wants=api@0.service api@1.service api@2.service api@3.service', 'After=api@0.service api@1.service api@2.service api@3.service']);

  const db = entries(out.files['db.service'] ?? '', 'Service');
  t.true(db.includes(`EnvironmentFile=${FIXTURE_DIR}/db.env`));
  t.false(db.some((line) => line.includes('DB_PASSWORD')));
  t.true(db.includes('KillSignal=SIGTERM'));
  t.true(db.includes('TimeoutStopSec=5s'));
  t.deepEqual(entries(out.files['migrate.service'] ?? '', 'Service').slice(0, 2), ['Type=oneshot', 'RemainAfterExit=yes']);
  t.true(entries(out.files['migrate.service'] ?? '', 'Service').includes(`ExecStart=/usr/bin/env bash ${FIXTURE_DIR}/migrate.sh`));
  const worker = out.files['worker.service'] ?? '';
  t.deepEqual(entries(worker, 'Unit').slice(1, 3), ['After=network.target api.target', 'Requires=api.target']);
  t.true(entries(worker, 'Service').includes('RestartPreventExitStatus=0'));

  const expected = [
    'api.cron_restart', 'api.exec_mode', 'api.ignore_watch', 'api.log_date_format', 'api.watch', 'db.log_max_files', 'db.log_max_size', 'db.node',
    'worker.exp_backoff_restart_delay', 'worker.image', 'worker.increment_var', 'worker.node', 'worker.wait_ready',
  ];
  t.deepEqual(notedKeys(out.stderr), expected);
  t.deepEqual(Object.values(out.files).flatMap((text) => commentedKeys(text)).sort(), expected);

  t.true(hasSystemdAnalyze(), 'systemd-analyze is needed to check units: apt-get install systemd');
  t.deepEqual(verifyUnits(out.dir), { code: 0, output: '' });
});

test('systemd: the verifier the tests rely on does reject a bad unit', async (t) => {
  const out = await exportTo('systemd', { config: 'ecosystem.example.ts' });
  t.is(out.code, 0, out.stderr);
  t.deepEqual(verifyUnits(out.dir), { code: 0, output: '' });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path.join(out.dir, 'api.service'), (out.files['api.service'] ?? '').replace('Restart=always', 'Restart=sometimes'));
  t.regex(verifyUnits(out.dir).output, /Failed to parse service restart specifier/);
});

test('systemd: units run their apps as whoever exported them (User=, Group=), as `up` did, not as root', (t) => {
  t.is(process.getuid?.(), 0, 'running the CLI as another user needs root');
  const result = spawnSync(process.execPath, [CLI, 'export', 'systemd', '--config', RICH], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000, uid: 65534, gid: 65534 });
  t.is(result.status, 0, result.stderr);
  const group = fs.readFileSync('/etc/group', 'utf8').split('\n').find((line) => line.split(':')[2] === '65534')?.split(':')[0];
  const units = result.stdout.split(/^# ==> .* <==$/m).filter((text) => text.includes('[Service]'));
  t.is(units.length, 4);
  for (const unit of units) t.true(entries(unit, 'Service').includes('User=nobody') && entries(unit, 'Service').includes(`Group=${group ?? ''}`), unit);
});
