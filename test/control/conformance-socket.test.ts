import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { connectControl } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import { CLI } from '../helpers/cli.js';
import { cjsConfig } from '../helpers/control.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { controllerConformance, type ConformanceApp } from './conformance.js';
import { stopProcess } from '../helpers/up.js';

/** The ControlClient over a real unix socket to a real `node-unit up` running the apps from a real config file. */
controllerConformance('socket client', async (apps) => {
  const dir = tempDir('nu-conformance-');
  const configFile = path.join(dir, 'ecosystem.config.cjs');
  const write = (next: readonly ConformanceApp[]): void => fs.writeFileSync(configFile, cjsConfig(next.map((app) => ({ ...app }))));
  write(apps);
  const up = spawn(process.execPath, [CLI, 'up'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  up.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  up.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => up.once('exit', () => resolve()));
  const socketPath = controlSocketPath(path.join(dir, '.node-unit'));
  const client = await waitFor(() => connectControl(socketPath).catch(() => undefined), { timeoutMs: 15_000, what: `the control socket; up said:\n${output}` });
  return {
    controller: client,
    setApps: async (next) => write(next),
    dispose: async () => {
      await client.close();
      await stopProcess(up, exited);
    },
  };
});
