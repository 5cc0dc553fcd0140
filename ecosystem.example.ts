import { defineConfig } from 'node-unit';

// The demo that `npm start` runs. Its scripts live in test/fixtures/demo and need nothing outside this repo.
// Check it with: node bin/node-unit.js validate --config ecosystem.example.ts

/** The API's port: fixed so that the job can reach it. Not a common port, to avoid clashes. */
const API_PORT = 3917;
const DEMO = 'test/fixtures/demo';

export default defineConfig({
  apps: [
    {
      // An HTTP API. `ports` injects API_PORT; it is `online` only once GET /health answers 200.
      name: 'api',
      script: `${DEMO}/api.js`,
      ports: { api: API_PORT },
      readiness: { http: `http://127.0.0.1:${API_PORT}/health`, interval: '250ms' },
      env: { NODE_ENV: 'development' },
      env_production: { NODE_ENV: 'production' }, // selected with --env production
      kill_timeout: '3s',
    },
    {
      // A worker that logs steadily, in colour.
      name: 'worker',
      script: `${DEMO}/worker.js`,
      env: { QUEUE: 'emails', INTERVAL_MS: 1000 },
    },
    {
      // A one-shot job: starts once the API is ready, makes a few requests, exits 0 and stays exited.
      name: 'seed',
      script: `${DEMO}/job.js`,
      depends_on: { api: 'ready' },
      autorestart: false,
      env: { API_URL: `http://127.0.0.1:${API_PORT}` },
    },
    {
      // Crashes after 2 s. Each restart waits longer (100 ms, then ×1.5 each time); a run shorter than
      // min_uptime counts as unstable, and after max_restarts unstable restarts the app is errored.
      name: 'flaky',
      script: `${DEMO}/flaky.js`,
      env: { CRASH_AFTER_MS: 2000 },
      exp_backoff_restart_delay: 100,
      min_uptime: '5s',
      max_restarts: 5,
    },
    {
      // Two instances, ticker:0 and ticker:1, each told its index in NODE_APP_INSTANCE.
      // exec_mode 'fork': with `instances` set, pm2 (and node-unit) would otherwise use cluster mode.
      name: 'ticker',
      script: `${DEMO}/ticker.js`,
      instances: 2,
      exec_mode: 'fork',
      env: { TICK_MS: 2000 },
    },
  ],
});
