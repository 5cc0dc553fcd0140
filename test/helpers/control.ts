import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { connectControl, type ControlClient } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import type { InstanceInfo } from '../../src/model/events.js';
import type { ProcessStatus } from '../../src/model/state.js';
import type { InstanceRow } from '../../src/cli/instance-format.js';
import { tempDir, writeFiles } from './tmp.js';
import { startUp, type UpProcess } from './up.js';
import { waitFor } from './wait.js';

export interface RunningProject {
  readonly dir: string;
  readonly up: UpProcess;
  readonly socketPath: string;
  /** A client of the test's own, for waiting on conditions without spawning the CLI. */
  readonly client: ControlClient;
  readonly status: (id: string, status: ProcessStatus, timeoutMs?: number) => Promise<InstanceInfo>;
}

export function cjsConfig(apps: readonly Record<string, unknown>[]): string {
  return `module.exports = ${JSON.stringify({ apps }, null, 2)};\n`;
}

/** Writes the files, runs `node-unit up` there and connects once the socket answers. */
export async function upProject(t: ExecutionContext, files: Readonly<Record<string, string>>, args: readonly string[] = []): Promise<RunningProject> {
  const dir = tempDir('nu-control-');
  writeFiles(dir, files);
  const up = startUp(t, args, { cwd: dir });
  const stateIndex = args.indexOf('--state-dir');
  const stateDir = stateIndex >= 0 ? path.resolve(dir, args[stateIndex + 1] ?? '') : path.join(dir, '.node-unit');
  const socketPath = controlSocketPath(stateDir);
  const client = await waitFor(() => connectControl(socketPath).catch(() => undefined), { timeoutMs: 15_000, what: `the control socket ${socketPath}; up said:\n${up.output()}` });
  t.teardown(() => client.close());
  const status = (id: string, wanted: ProcessStatus, timeoutMs = 15_000): Promise<InstanceInfo> =>
    waitFor(async () => (await client.list()).find((info) => info.id === id && info.state.status === wanted), { timeoutMs, what: `${id} to be ${wanted}` });
  return { dir, up, socketPath, client, status };
}

export function parseRows(stdout: string): readonly InstanceRow[] {
  return JSON.parse(stdout) as InstanceRow[];
}

export function pidOf(info: InstanceInfo): number | undefined {
  return 'pid' in info.state ? info.state.pid : undefined;
}
