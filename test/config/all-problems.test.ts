import test from 'ava';
import { ConfigError } from '../../src/config/errors.js';
import { validateConfig } from '../../src/config/validate.js';
import { brief, json, loadError } from '../helpers/config.js';

test('every problem is reported at once: 3 errors give 3 diagnostics', (t) => {
  const result = validateConfig({
    apps: [
      { name: 'api', script: 'a.js', max_restarts: 'ten', kill_signal: 'NOPE' },
      { name: 'worker', instances: 'x', script: 'w.js' },
    ],
  });
  t.is(result.config, undefined);
  t.deepEqual(
    result.diagnostics.map((d) => [d.severity, d.path]),
    [
      ['error', 'apps[0].max_restarts'],
      ['error', 'apps[0].kill_signal'],
      ['error', 'apps[1].instances'],
    ],
  );
});

test('loadConfig throws a ConfigError with every problem and returns nothing', async (t) => {
  const error = await loadError(json({ apps: [{ name: 'api', script: 'a.js', max_restarts: 'ten', max_restart: 3 }, { name: 'api', script: 'b.js' }] }));
  t.true(error instanceof ConfigError);
  t.is(error.file, `${error.dir}/ecosystem.config.json`);
  t.deepEqual(brief(error.issues), [
    { severity: 'warning', path: 'apps[0].max_restart', message: 'unknown key, ignored', hint: 'did you mean "max_restarts"?' },
    { severity: 'error', path: 'apps[0].max_restarts', message: 'expected a non-negative integer, got "ten" (string)' },
    { severity: 'error', path: 'apps[1].name', message: 'duplicate app name "api" (also apps[0])', hint: 'app names must be unique' },
  ]);
});

test('an app with errors still counts as declared: depending on it is not "unknown app"', (t) => {
  const result = validateConfig({
    apps: [
      { name: 'db', script: 'db.js', max_restarts: 'ten' },
      { name: 'api', script: 'a.js', depends_on: ['db'] },
      { cmd: 'node worker.js', kill_timeout: 'x' },
      { name: 'jobs', script: 'j.js', depends_on: 'node' },
    ],
  });
  t.deepEqual(
    result.diagnostics.map((d) => `${d.path}: ${d.message}`),
    [
      'apps[0].max_restarts: expected a non-negative integer, got "ten" (string)',
      'apps[2].kill_timeout: expected a duration (milliseconds, or a string like "10s", "1m"), got "x" (string)',
    ],
  );
});

test('errors in env files are reported with the validation warnings', async (t) => {
  const error = await loadError(json({ apps: [{ name: 'api', script: 'a.js', env_file: 'nope.env', vizion: false }] }));
  t.deepEqual(
    error.issues.map((d) => [d.severity, d.path]),
    [
      ['warning', 'apps[0].vizion'],
      ['error', 'apps[0].env_file'],
    ],
  );
});
