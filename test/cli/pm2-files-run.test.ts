import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { cjsConfig, pidOf, upProject } from '../helpers/control.js';
import { FIXTURES } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const forever = path.join(FIXTURES, 'procs', 'forever.js');

interface Pm2JsonLine {
  readonly message: string;
  readonly timestamp: string;
  readonly type: string;
  readonly process_id: number;
  readonly app_name: string;
}

test("log_type 'json' writes pm2's JSON log lines", async (t) => {
  const app = { name: 'api', script: forever, exec_mode: 'fork', instances: 2, log_type: 'json', out_file: './logs/out.log', merge_logs: true, kill_timeout: 1000 };
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([app]) });
  const file = path.join(p.dir, 'logs', 'out.log');
  const lines = await waitFor(() => {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const all = text.split('\n').filter(Boolean);
    return all.length >= 2 ? all : undefined;
  }, { timeoutMs: 30_000 });
  const parsed = lines.map((line) => JSON.parse(line) as Pm2JsonLine);
  for (const entry of parsed) {
    t.deepEqual(Object.keys(entry), ['message', 'timestamp', 'type', 'process_id', 'app_name']);
    t.regex(entry.message, /^forever started pid=\d+ instance=\d\n$/);
    t.false(Number.isNaN(Date.parse(entry.timestamp)));
    t.like(entry, { type: 'out', app_name: 'api' });
  }
  t.deepEqual(parsed.map((entry) => entry.process_id).sort(), [0, 1]);
});

test('pid_file is written for each instance and removed when it stops, as pm2 does', async (t) => {
  const app = { name: 'api', script: forever, exec_mode: 'fork', instances: 2, pid_file: './run/api.pid', kill_timeout: 1000 };
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([app]) });
  const pids = await Promise.all(['api:0', 'api:1'].map(async (id) => pidOf(await p.status(id, 'online', 30_000))));
  const files = [0, 1].map((index) => path.join(p.dir, 'run', `api-${index}.pid`));
  await waitFor(() => files.every((file) => fs.existsSync(file)), { timeoutMs: 30_000 });
  t.deepEqual(files.map((file) => Number(fs.readFileSync(file, 'utf8'))), pids);
  t.is((await runCli(['stop', 'api'], { cwd: p.dir })).code, 0);
  await waitFor(() => files.every((file) => !fs.existsSync(file)), { timeoutMs: 30_000, what: 'the pid files removed' });
  t.pass();
});
