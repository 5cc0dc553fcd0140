import test from 'ava';
import { ControlClient } from '../../src/control/client.js';
import { Connection, SOFT_BUFFER_BYTES } from '../../src/control/connection.js';
import { memoryPortPair } from '../../src/control/memory-port.js';
import type { LogLine } from '../../src/model/events.js';
import { appSpec, procScript } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';

const COUNT = 50_000;

test('over a port that stops draining, log events pause into a count, then arrive as one marker per instance: none lost unaccounted', async (t) => {
  const h = await harness(t, [appSpec({ name: 'flood', script: procScript('lines.js'), args: [String(COUNT), 'stay'], autostart: false })]);
  const [clientSide, serverSide] = memoryPortPair();
  new Connection(serverSide, { controller: h.supervisor, identity: { pid: process.pid, project: 'memory', version: '0.0.0' }, plugins: undefined });
  const client = new ControlClient(clientSide);
  t.teardown(() => client.close());
  const lines: LogLine[] = [];
  let snapshot = false;
  client.subscribe((event) => {
    if (event.type === 'snapshot') snapshot = true;
    if (event.type === 'log') lines.push(...event.lines);
  }, { logs: 'flood', metrics: false });
  await waitFor(() => snapshot, { what: 'the snapshot' });
  clientSide.pause();
  await h.supervisor.start('flood');
  await waitFor(async () => {
    const tail = await h.supervisor.logs('flood', { lines: 1 });
    return tail.ok && tail.lines[0]?.line === `line ${COUNT}`;
  }, { timeoutMs: 30_000, what: `the flood to reach line ${COUNT}` });
  const peak = serverSide.bufferedBytes();
  t.true(peak > SOFT_BUFFER_BYTES, `the server side queued ${peak} bytes`);
  t.true(peak < 2 * SOFT_BUFFER_BYTES, `and stopped queueing log events soon after the soft bound (${peak} bytes)`);
  clientSide.resume();
  const marker = await waitFor(() => lines.find((line) => line.skipped !== undefined), { what: 'the skipped marker' });
  t.regex(marker.line, /^\[… \d+ lines skipped: this client did not read fast enough\]$/);
  const heard = lines.filter((line) => line.skipped === undefined).length;
  const counted = lines.reduce((sum, line) => sum + (line.skipped ?? 0), 0);
  t.is(heard + counted, COUNT, 'every line either arrived or was counted');
  t.true(heard > 0 && heard < COUNT);
});
