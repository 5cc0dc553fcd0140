import test from 'ava';
import { appNamed, brief, json, loadError, loadFiles } from '../helpers/config.js';

test('env_file: one file is layered under env', async (t) => {
  const loaded = await loadFiles({
    '.env': 'A=from-file\nB=from-file\n# comment\nexport C="quoted value"\n',
    ...json({ apps: [{ name: 'api', script: 'a.js', env_file: '.env', env: { B: 'from-env' } }] }),
  });
  t.deepEqual(appNamed(loaded, 'api').env, { A: 'from-file', B: 'from-env', C: 'quoted value' });
});

test('env_file: several files, later files win, env wins over all', async (t) => {
  const loaded = await loadFiles({
    'env/base.env': 'A=base\nB=base\nC=base\n',
    'env/local.env': 'B=local\nC=local\n',
    ...json({ apps: [{ name: 'api', script: 'a.js', env_file: ['env/base.env', 'env/local.env'], env: { C: 'env' } }] }),
  });
  t.deepEqual(appNamed(loaded, 'api').env, { A: 'base', B: 'local', C: 'env' });
});

test('env_file: a missing file is an error naming the file', async (t) => {
  const error = await loadError(json({ apps: [{ name: 'api', script: 'a.js', env_file: ['.env', 'missing.env'] }] , }), {});
  t.deepEqual(brief(error.issues), [
    { severity: 'error', path: 'apps[0].env_file[0]', message: `cannot read ${error.dir}/.env: no such file`, hint: 'create the file or remove it from env_file' },
    { severity: 'error', path: 'apps[0].env_file[1]', message: `cannot read ${error.dir}/missing.env: no such file`, hint: 'create the file or remove it from env_file' },
  ]);
});

test('env_file: a malformed line is reported with file and line', async (t) => {
  const error = await loadError({ '.env': 'A=1\nthis is not a variable\n', ...json({ apps: [{ script: 'a.js', env_file: '.env' }] }) });
  t.deepEqual(brief(error.issues), [
    { severity: 'error', path: 'apps[0].env_file', message: `${error.dir}/.env:2: expected KEY=value, got "this is not a variable"` },
  ]);
});

test('--env production layers env_production over env', async (t) => {
  const files = json({ apps: [{ name: 'api', script: 'a.js', env: { NODE_ENV: 'development', A: '1' }, env_production: { NODE_ENV: 'production' } }] });
  const dev = await loadFiles(files);
  t.deepEqual(appNamed(dev, 'api').env, { NODE_ENV: 'development', A: '1' });
  const prod = await loadFiles(files, { profile: 'production' });
  t.deepEqual(appNamed(prod, 'api').env, { NODE_ENV: 'production', A: '1' });
  t.is(prod.profile, 'production');
});

test("--env layers pm2's deploy.<profile>.env under env, then env_<profile> over env", async (t) => {
  const loaded = await loadFiles(
    {
      '.env': 'FILE=1\nD=file\n',
      ...json({
        apps: [{ name: 'api', script: 'a.js', env_file: '.env', env: { E: 'env', P: 'env' }, env_production: { P: 'profile' } }],
        deploy: { production: { user: 'node', host: 'example.com', env: { D: 'deploy', E: 'deploy' } } },
      }),
    },
    { profile: 'production' },
  );
  t.deepEqual(appNamed(loaded, 'api').env, { FILE: '1', D: 'deploy', E: 'env', P: 'profile' });
});

test('--env with a profile no app has warns that no env_<profile> block matches', async (t) => {
  const loaded = await loadFiles(json({ apps: [{ name: 'api', script: 'a.js', env: { A: '1' } }] }), { profile: 'staging' });
  t.deepEqual(brief(loaded.warnings), [{ severity: 'warning', path: '', message: 'no app has env_staging', hint: 'only env_<profile> blocks (and deploy.<profile>.env) are selected by --env staging' }]);
});

test('append_env_to_name renames the app <name>-<profile> under --env', async (t) => {
  const files = json({ apps: [{ name: 'api', script: 'a.js', append_env_to_name: true, env_production: { A: '1' } }] });
  t.deepEqual((await loadFiles(files, { profile: 'production' })).apps.map((a) => a.name), ['api-production']);
  t.deepEqual((await loadFiles(files)).apps.map((a) => a.name), ['api']);
});

test('append_env_to_name: dependencies follow the renamed app', async (t) => {
  const files = json({
    apps: [
      { name: 'api', script: 'a.js', append_env_to_name: true },
      { name: 'job', script: 'j.js', depends_on: { api: 'ready' } },
    ],
  });
  const loaded = await loadFiles(files, { profile: 'production' });
  t.deepEqual(appNamed(loaded, 'job').dependsOn, [{ app: 'api-production', condition: 'ready' }]);
});

test('envFile (camelCase) is env_file', async (t) => {
  const loaded = await loadFiles({ ...json({ apps: [{ name: 'a', script: 'a.js', envFile: '.env' }] }), '.env': 'FROM_FILE=1\n' });
  t.is(appNamed(loaded, 'a').env.FROM_FILE, '1');
  t.deepEqual(loaded.warnings, []);
});

test('env values are stringified; null and undefined are dropped', async (t) => {
  const loaded = await loadFiles({
    'ecosystem.config.js': `module.exports = { apps: [{ name: 'a', script: 'a.js', env: { N: 10_000, B: false, S: '', U: process.env.NOT_SET_ANYWHERE, Z: null } }] };\n`,
  });
  t.deepEqual(appNamed(loaded, 'a').env, { N: '10000', B: 'false', S: '' });
});

test('port sets env.PORT', async (t) => {
  const loaded = await loadFiles(json({ apps: [{ name: 'a', script: 'a.js', port: 8080, env: { PORT: '1' } }] }));
  t.is(appNamed(loaded, 'a').env.PORT, '8080');
});
