import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { cjsConfig, upProject } from '../helpers/control.js';
import { FIXTURES } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const envDump = path.join(FIXTURES, 'procs', 'env-dump.js');

/** The variables the latest run of the app printed (env-dump.js prints `ENV {…}` at start). */
async function lastEnv(dir: string): Promise<Record<string, string>> {
  const logs = await runCli(['logs', 'dump', '--lines', '100'], { cwd: dir });
  const lines = logs.stdout.split('\n').filter((line) => line.startsWith('dump | ENV '));
  const last = lines.at(-1);
  return last === undefined ? {} : (JSON.parse(last.slice('dump | ENV '.length)) as Record<string, string>);
}

test('an edit of an env_file takes effect at the next start; env and env_<profile> still win over it', async (t) => {
  const p = await upProject(
    t,
    {
      '.env': 'GREETING=one\nFROM_FILE=file\nOVERRIDDEN=file\n',
      'ecosystem.config.cjs': cjsConfig([{ name: 'dump', script: envDump, env_file: '.env', env: { OVERRIDDEN: 'env' } }]),
    },
  );
  await waitFor(async () => (await lastEnv(p.dir)).GREETING === 'one', { what: 'the first run to print GREETING=one' });
  fs.writeFileSync(path.join(p.dir, '.env'), 'GREETING=two\nOVERRIDDEN=file again\nADDED=new\n');
  const restart = await runCli(['restart', 'dump'], { cwd: p.dir });
  t.is(restart.code, 0, restart.stderr);
  const env = await waitFor(async () => {
    const current = await lastEnv(p.dir);
    return current.GREETING === 'two' ? current : undefined;
  }, { what: 'the restarted run to print GREETING=two' });
  t.is(env.ADDED, 'new');
  t.is(env.OVERRIDDEN, 'env');
  t.false('FROM_FILE' in env, 'a variable removed from the file is gone');
});

test('describe shows where each variable came from', async (t) => {
  const p = await upProject(t, {
    '.env': 'FROM_FILE=1\n',
    'ecosystem.config.cjs': cjsConfig([{ name: 'dump', script: envDump, env_file: '.env', env: { FROM_ENV: '1' }, env_staging: { FROM_PROFILE: '1' }, ports: { http: 0 } }]),
  }, ['--env', 'staging']);
  await p.status('dump:0', 'online');
  const described = await runCli(['describe', 'dump'], { cwd: p.dir });
  t.is(described.code, 0, described.stderr);
  const sourceOf = (name: string): string | undefined => new RegExp(`\\n\\s+${name}\\s+(.+)`).exec(described.stdout)?.[1];
  t.regex(sourceOf('FROM_FILE') ?? '', /^env_file \/.+\/\.env$/);
  t.is(sourceOf('FROM_ENV'), 'env');
  t.is(sourceOf('FROM_PROFILE'), 'env_staging');
  t.is(sourceOf('HTTP_PORT'), 'ports');
  t.is(sourceOf('NODE_APP_INSTANCE'), 'instance variable');
  t.regex(described.stdout, /\+ \d+ inherited from the supervisor's environment/);
});
