import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { connectControl, type ControlClient } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import type { InstanceInfo } from '../../src/model/events.js';
import { CLI } from '../helpers/cli.js';
import { cjsConfig } from '../helpers/control.js';
import { FIXTURES, tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { Tmux } from './tmux.js';

export const PROCS = path.join(FIXTURES, 'procs');

export interface UpInTerminal {
  readonly tmux: Tmux;
  readonly dir: string;
  readonly client: ControlClient;
  /** The supervisor's pid (the process behind the socket, not the view). */
  readonly pid: number;
  readonly allOnline: (count: number) => Promise<readonly InstanceInfo[]>;
}

/** Alive unless gone or a zombie (a zombie still answers kill -0). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export function pidOf(info: InstanceInfo): number | undefined {
  return 'pid' in info.state ? info.state.pid : undefined;
}

/** `node-unit up` on these apps in a real terminal (tmux), with a client of the test's own on its socket. */
export async function upInTerminal(t: ExecutionContext, apps: readonly Record<string, unknown>[], size = { columns: 140, rows: 40 }, configText = cjsConfig(apps)): Promise<UpInTerminal> {
  Tmux.check();
  const dir = tempDir('nu-tui-');
  writeFiles(dir, { 'ecosystem.config.cjs': configText });
  const tmux = new Tmux();
  t.teardown(() => tmux.kill());
  // CI=true would make Ink print only its last frame.
  tmux.start(`env -u CI node ${CLI} up; echo "node-unit exited with $?"; sleep 60`, { cwd: dir, ...size });
  const socketPath = controlSocketPath(path.join(dir, '.node-unit'));
  const client = await waitFor(() => connectControl(socketPath).catch(() => undefined), { timeoutMs: 20_000, what: `the control socket ${socketPath}` });
  t.teardown(() => client.close());
  const { pid } = await client.hello();
  // Closing the terminal stops the supervisor; the test waits for it, so nothing of it outlives the test.
  t.teardown(async () => {
    tmux.kill();
    await waitFor(() => !alive(pid), { timeoutMs: 30_000, what: `the supervisor ${pid} to exit once its terminal closed` });
  });
  const allOnline = (count: number): Promise<readonly InstanceInfo[]> =>
    waitFor(
      async () => {
        const list = await client.list();
        return list.filter((info) => info.state.status === 'online').length >= count ? list : undefined;
      },
      { timeoutMs: 30_000, what: `${count} instances online` },
    );
  return { tmux, dir, client, pid, allOnline };
}
