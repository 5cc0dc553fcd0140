import type { ExecutionContext } from 'ava';
import { ControlClient } from '../../src/control/client.js';
import { Connection } from '../../src/control/connection.js';
import { memoryPortPair } from '../../src/control/memory-port.js';
import type { SubscribeOptions } from '../../src/model/controller.js';
import type { LogLine } from '../../src/model/events.js';
import { appSpec, procScript } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A supervisor running `flood` (lines.js with `args`, started on demand) and a client following its lines
 * over a control connection on memory ports: the ports' buffers can be paused and measured.
 */
export async function floodFollower(t: ExecutionContext, args: readonly string[], options: Omit<SubscribeOptions, 'logs' | 'metrics'> = {}) {
  const h = await harness(t, [appSpec({ name: 'flood', script: procScript('lines.js'), args: [...args], autostart: false })]);
  const [clientSide, serverSide] = memoryPortPair();
  new Connection(serverSide, { controller: h.supervisor, identity: { pid: process.pid, project: 'memory', version: '0.0.0' }, plugins: undefined });
  const client = new ControlClient(clientSide);
  t.teardown(() => client.close());
  const lines: LogLine[] = [];
  let snapshot = false;
  client.subscribe((event) => {
    if (event.type === 'snapshot') snapshot = true;
    if (event.type === 'log') lines.push(...event.lines);
  }, { logs: 'flood', metrics: false, ...options });
  await waitFor(() => snapshot, { what: 'the snapshot' });
  /** Whether the flood's last line so far is `line n`. */
  const lastLine = async (n: number): Promise<boolean> => {
    const tail = await h.supervisor.logs('flood', { lines: 1 });
    return tail.ok && tail.lines[0]?.line === `line ${n}`;
  };
  const shown = (): LogLine[] => lines.filter((line) => line.skipped === undefined);
  const counted = (): number => lines.reduce((sum, line) => sum + (line.skipped ?? 0), 0);
  return { h, client, clientSide, serverSide, lines, lastLine, shown, counted };
}
