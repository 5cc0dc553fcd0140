import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { hasSystemdAnalyze, verifyUnits } from '../export/helpers.js';
import { runCli } from '../helpers/cli.js';
import { PROJECT_ROOT, tempDir, writeFiles } from '../helpers/tmp.js';

const UNIT = 'node-unit-nu-startup-project.service';

function project(): string {
  const root = tempDir('nu-startup-');
  const dir = path.join(root, 'nu-startup-project');
  writeFiles(dir, {
    'ecosystem.config.json': JSON.stringify({
      apps: [
        { name: 'db', script: 'db.js', kill_timeout: '7s' },
        { name: 'api', script: 'api.js', kill_timeout: '3s', depends_on: ['db'] },
        { name: 'cache', script: 'cache.js', kill_timeout: '12s' },
      ],
    }),
  });
  return dir;
}

/** `Key=value` lines of the unit, comments and section headers left out. */
const settings = (text: string): string[] => text.split('\n').filter((line) => /^\w+=/.test(line));

test('startup prints a unit that runs up --no-tui for the project, with a stop timeout above the stop of every level', async (t) => {
  const dir = project();
  const result = await runCli(['startup', '--system', '--env', 'production'], { cwd: dir, env: { PATH: `/opt/tools/bin:${process.env.PATH ?? ''}` } });
  t.is(result.code, 0, result.stderr);
  const lines = settings(result.stdout);
  const uid = process.getuid?.();
  t.true(lines.includes(`User=${uid === 0 ? 'root' : (process.env.USER ?? '')}`));
  t.true(lines.includes(`WorkingDirectory=${dir}`));
  t.true(lines.includes(`Environment=PATH=/opt/tools/bin:${process.env.PATH ?? ''}`));
  t.true(lines.includes(`ExecStart=${process.execPath} ${path.join(PROJECT_ROOT, 'bin', 'node-unit.js')} up --no-tui --config ${dir}/ecosystem.config.json --env production`));
  t.true(lines.includes('KillMode=mixed'));
  t.true(lines.includes('Restart=on-failure'));
  // api stops first (3 s), then db and cache together (12 s): 15 s, plus 10 s of slack.
  t.true(lines.includes('TimeoutStopSec=25s'));
  t.true(lines.includes('WantedBy=multi-user.target'));
  t.regex(result.stderr, /startup --system --install/);
});

test('startup --install writes the unit (verified by systemd-analyze), unstartup removes it', async (t) => {
  const dir = project();
  const units = tempDir('nu-units-');
  const installed = await runCli(['startup', '--user', '--install', '--dir', units], { cwd: dir });
  t.is(installed.code, 0, installed.stderr);
  const file = path.join(units, UNIT);
  t.is(installed.stdout.trim(), `wrote ${file}`);
  const text = fs.readFileSync(file, 'utf8');
  t.false(settings(text).some((line) => line.startsWith('User=')));
  t.true(settings(text).includes('WantedBy=default.target'));
  t.true(hasSystemdAnalyze(), 'systemd-analyze is needed to check units: apt-get install systemd');
  t.deepEqual(verifyUnits(units), { code: 0, output: '' });

  const removed = await runCli(['unstartup', '--user', '--dir', units], { cwd: dir });
  t.is(removed.code, 0, removed.stderr);
  t.false(fs.existsSync(file));
  const again = await runCli(['unstartup', '--user', '--dir', units], { cwd: dir });
  t.is(again.code, 1);
  t.regex(again.stderr, /no unit at .*nothing to remove/);
});

test('startup refuses --user with --system', async (t) => {
  const result = await runCli(['startup', '--user', '--system'], { cwd: project() });
  t.is(result.code, 2);
  t.regex(result.stderr, /--user and --system exclude each other/);
});
