import path from 'node:path';
import type { AppSpec } from '../../src/model/app.js';
import { FIXTURES } from './tmp.js';

/** A resolved app with node-unit's defaults, for tests that skip config loading. */
export function appSpec(overrides: Partial<AppSpec> & { readonly name: string }): AppSpec {
  return {
    namespace: 'default',
    script: path.join(FIXTURES, 'procs', 'forever.js'),
    args: [],
    interpreter: undefined,
    interpreterArgs: [],
    blockingStdio: true,
    envSources: {},
    envFiles: [],
    cwd: FIXTURES,
    env: {},
    filterEnv: false,
    instances: 1,
    execMode: 'fork',
    incrementVar: undefined,
    instanceVar: 'NODE_APP_INSTANCE',
    autostart: true,
    autorestart: true,
    maxRestarts: 16,
    minUptimeMs: 1000,
    restartDelayMs: 0,
    expBackoffRestartDelayMs: undefined,
    stopExitCodes: [],
    killTimeoutMs: 1600,
    killSignal: 'SIGINT',
    maxMemoryBytes: undefined,
    cronRestart: undefined,
    watch: undefined,
    waitReady: false,
    listenTimeoutMs: 3000,
    readiness: undefined,
    dependsOn: [],
    ports: {},
    node: undefined,
    logs: { outFile: null, errorFile: null, combinedFile: null, merge: true, timestamp: false, dateFormat: undefined, maxSizeBytes: undefined, maxFiles: 10 },
    ...overrides,
  };
}

export function procScript(name: string): string {
  return path.join(FIXTURES, 'procs', name);
}
