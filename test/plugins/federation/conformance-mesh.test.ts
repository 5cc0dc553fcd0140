import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { controllerConformance, type ConformanceApp } from '../../control/conformance.js';
import { CLI } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';
import { startMaster } from './harness.js';
import { joinAsync } from './mesh-nodes.js';
import { stopProcess } from '../../helpers/up.js';

/**
 * The Controller conformance suite against a node reached over the mesh: the master runs in this process
 * (its remote Controller is the handle the suite drives), the worker is a real `node-unit up` that joined
 * it with an invite, and every call travels sealed to the worker's own Controller and back.
 */

function workerConfig(apps: readonly ConformanceApp[]): string {
  return `const { federation } = require('node-unit/federation');\nmodule.exports = { apps: ${JSON.stringify(apps)}, plugins: [federation({ name: 'nas' })] };\n`;
}

controllerConformance('mesh node', async (apps) => {
  const m = await startMaster({ pingEveryMs: 500 });
  const dir = tempDir('nu-conformance-mesh-');
  const configFile = path.join(dir, 'ecosystem.config.cjs');
  fs.writeFileSync(configFile, workerConfig(apps));
  const up = spawn(process.execPath, [CLI, 'up'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  up.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  up.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => up.once('exit', () => resolve()));
  await waitFor(() => /federation: worker /.test(output), { timeoutMs: 15_000, what: `the worker to start; up said:\n${output}` });
  await joinAsync(m.invite('nas'), dir);
  const remote = await waitFor(() => m.master.remotes().find((r) => r.name === 'nas'), { timeoutMs: 15_000, what: `nas to connect; up said:\n${output}` });
  await remote.client.hello();
  return {
    controller: remote.client,
    setApps: async (next) => fs.writeFileSync(configFile, workerConfig(next)),
    dispose: async () => {
      await m.close();
      await stopProcess(up, exited);
    },
  };
});
