import test, { type ExecutionContext } from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { AppSpec } from '../../src/model/app.js';
import { runCli } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const EXAMPLE = 'ecosystem.example.ts';

interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** The demo config as the supervisor would see it. */
async function demoApps(): Promise<readonly AppSpec[]> {
  const loaded = await loadConfig({ configPath: EXAMPLE, cwd: PROJECT_ROOT, env: {} });
  return loaded.apps;
}

function appNamed(apps: readonly AppSpec[], name: string): AppSpec {
  const app = apps.find((a) => a.name === name);
  if (!app) throw new Error(`no app named ${name} in ${EXAMPLE}`);
  return app;
}

/** The variables the app gets from its config: env, named ports, the instance index. */
function appEnv(app: AppSpec, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const ports = Object.fromEntries(Object.entries(app.ports).map(([name, port]) => [name, String(port)]));
  return { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...app.env, ...ports, [app.instanceVar]: '0', ...extra };
}

/** Starts an app's script with plain node; the child is killed when the test ends. */
function start(t: ExecutionContext, app: AppSpec, env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [path.resolve(app.cwd, app.script)], { cwd: app.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  t.teardown(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  });
  return { child, output: () => output };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return once(child, 'exit').then(([code]) => code as number | null);
}

test('the example ecosystem validates with the real CLI', async (t) => {
  const result = await runCli(['validate', '--config', EXAMPLE]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^ok: 5 apps, 6 instances in ecosystem\.example\.ts$/m);
  t.is(result.stderr, '', 'no warnings');
});

test('the example ecosystem has no warnings even with --strict and --env production', async (t) => {
  const result = await runCli(['validate', '--strict', '--env', 'production', '--config', EXAMPLE]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^ok: /m);
});

test("the api's readiness probe points at the port it is given", async (t) => {
  const api = appNamed(await demoApps(), 'api');
  const port = api.ports.API_PORT;
  t.truthy(port);
  t.deepEqual(api.readiness?.check, { kind: 'http', url: `http://127.0.0.1:${String(port)}/health` });
});

const LONG_RUNNING: readonly { readonly name: string; readonly prints: RegExp; readonly env?: Readonly<Record<string, string>> }[] = [
  { name: 'api', prints: /api listening on http:\/\/127\.0\.0\.1:\d+/, env: { API_PORT: '0' } },
  { name: 'worker', prints: /done job 1 on emails/, env: { INTERVAL_MS: '50' } },
  { name: 'ticker', prints: /ticker 0: tick 1/, env: { TICK_MS: '50' } },
  { name: 'flaky', prints: /flaky started/ },
];

for (const { name, prints, env } of LONG_RUNNING) {
  test(`demo app ${name} runs with plain node and prints`, async (t) => {
    const app = appNamed(await demoApps(), name);
    const run = start(t, app, appEnv(app, env));
    await waitFor(() => prints.test(run.output()), { timeoutMs: 10_000, what: `${name} to print ${String(prints)}; got ${JSON.stringify(run.output())}` });
    t.pass();
  });
}

test('demo app flaky crashes with exit code 1', async (t) => {
  const app = appNamed(await demoApps(), 'flaky');
  const run = start(t, app, appEnv(app, { CRASH_AFTER_MS: '100' }));
  t.is(await exitOf(run.child), 1);
  t.regex(run.output(), /simulated crash/);
});

test('demo job seed makes its requests to a running api and exits 0', async (t) => {
  const apps = await demoApps();
  const api = start(t, appNamed(apps, 'api'), appEnv(appNamed(apps, 'api'), { API_PORT: '0' }));
  const port = await waitFor(() => /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(api.output())?.[1], { timeoutMs: 10_000, what: 'the api to listen' });
  const seed = appNamed(apps, 'seed');
  const job = start(t, seed, appEnv(seed, { API_URL: `http://127.0.0.1:${port}` }));
  t.is(await exitOf(job.child), 0, job.output());
  t.regex(job.output(), /job done: 3 requests/);
  await waitFor(() => api.output().includes('GET /items 200'), { timeoutMs: 5_000, what: 'the api to log the request' });
});

test('demo api answers 404 for unknown paths and stops cleanly on SIGINT', async (t) => {
  const app = appNamed(await demoApps(), 'api');
  const api = start(t, app, appEnv(app, { API_PORT: '0' }));
  const port = await waitFor(() => /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(api.output())?.[1], { timeoutMs: 10_000, what: 'the api to listen' });
  const response = await fetch(`http://127.0.0.1:${port}/nope`, { signal: AbortSignal.timeout(5_000) });
  t.is(response.status, 404);
  await response.text();
  api.child.kill('SIGINT');
  t.is(await exitOf(api.child), 0);
});
