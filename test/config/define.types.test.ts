/**
 * Type-level tests: tsc compiles this file before ava runs, so a wrongly typed defineConfig call that
 * compiles (an unused @ts-expect-error) fails the build.
 */
import test from 'ava';
import { defineConfig, type ConfigContext, type EcosystemConfig } from '../../src/index.js';

const object = defineConfig({
  apps: [
    {
      name: 'api',
      script: 'server.js',
      args: ['--port', '3000'],
      instances: 'max',
      exec_mode: 'cluster',
      max_restarts: 10,
      min_uptime: '10s',
      kill_timeout: 3000,
      max_memory_restart: '1G',
      env: { NODE_ENV: 'development', PORT: 3000, DEBUG: false },
      env_production: { NODE_ENV: 'production' },
      env_file: ['.env', '.env.local'],
      readiness: { http: 'http://127.0.0.1:3000/health', interval: '1s', retries: 5 },
      ports: { http: 3000 },
    },
    { name: 'worker', script: 'npm', args: 'run worker', depends_on: { api: 'ready' }, readiness: { log: /ready/ } },
    { script: 'job.js', depends_on: ['api', 'worker'], cron_restart: '0 3 * * *', autorestart: false, exec_mode: 'fork_mode' },
  ],
});

const promise = defineConfig(Promise.resolve({ apps: [{ script: 'a.js' }] }));

const fromContext = defineConfig(({ profile, env, configDir }: ConfigContext) => ({
  apps: [{ name: `api-${profile ?? 'dev'}`, script: `${configDir}/server.js`, env: { HOME: env.HOME } }],
}));

const asyncFunction = defineConfig(async () => ({ apps: [{ script: 'a.js', readiness: { tcp: 3000 } }] }));

// @ts-expect-error max_restarts is a number, not a string
defineConfig({ apps: [{ script: 'a.js', max_restarts: 'ten' }] });

// @ts-expect-error exec_mode is fork or cluster
defineConfig({ apps: [{ script: 'a.js', exec_mode: 'threads' }] });

// @ts-expect-error every app needs a script
defineConfig({ apps: [{ name: 'api' }] });

// @ts-expect-error depends_on conditions are started, ready or completed
defineConfig({ apps: [{ script: 'a.js', depends_on: { db: 'healthy' } }] });

// @ts-expect-error readiness takes exactly one probe kind
defineConfig({ apps: [{ script: 'a.js', readiness: { http: 'http://127.0.0.1:3000', tcp: 3000 } }] });

// @ts-expect-error readiness needs a probe kind
defineConfig({ apps: [{ script: 'a.js', readiness: { url: 'http://127.0.0.1:3000' } }] });

// @ts-expect-error an http probe is a URL or { url, status }
defineConfig({ apps: [{ script: 'a.js', readiness: { http: 3000 } }] });

// @ts-expect-error a near-miss key does not compile
defineConfig({ apps: [{ script: 'a.js', max_restart: 3 }] });

// @ts-expect-error a size is a number or a string like '150M'
defineConfig({ apps: [{ script: 'a.js', max_memory_restart: 'lots' }] });

// @ts-expect-error apps is required
defineConfig({ plugins: [] });

// @ts-expect-error a config function returns a config
defineConfig(() => ({ apps: 'api' }));

test('defineConfig returns its argument unchanged', async (t) => {
  t.is(object.apps.length, 3);
  t.is(object.apps[0]?.name, 'api');
  const resolved: EcosystemConfig = await promise;
  t.deepEqual(resolved.apps.map((app) => app.script), ['a.js']);
  const context: ConfigContext = { profile: 'production', env: { HOME: '/home/x' }, configDir: '/srv' };
  t.deepEqual((await fromContext(context)).apps[0], { name: 'api-production', script: '/srv/server.js', env: { HOME: '/home/x' } });
  t.deepEqual((await asyncFunction(context)).apps[0]?.readiness, { tcp: 3000 });
});
