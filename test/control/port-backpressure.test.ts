import test from 'ava';
import { ControlClient } from '../../src/control/client.js';
import { Connection, HARD_BUFFER_BYTES, SOFT_BUFFER_BYTES } from '../../src/control/connection.js';
import type { MessagePort, PortHandler } from '../../src/control/port.js';
import { memoryPortPair } from '../../src/control/memory-port.js';
import type { LogLine } from '../../src/model/events.js';
import { appSpec, procScript } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';
import { floodFollower } from './memory-follower.js';

// Enough lines that even packed (one string per run of lines) they pass the soft bound several times over.
const COUNT = 200_000;

test('over a port that stops draining, log events pause into a count, then arrive as one marker per instance: none lost unaccounted', async (t) => {
  const { h, clientSide, serverSide, lines, lastLine } = await floodFollower(t, [String(COUNT), 'again']);
  // How big one log event can be depends on how much one read of the pipe took, which load decides.
  let largestEvent = 0;
  const unwatch = h.supervisor.subscribe((event) => {
    if (event.type === 'log') largestEvent = Math.max(largestEvent, Buffer.byteLength(JSON.stringify({ v: 1, type: 'event', subscription: 1, event })));
  }, { logs: 'flood', metrics: false });
  t.teardown(unwatch);
  clientSide.pause();
  await h.supervisor.start('flood');
  await waitFor(() => lastLine(COUNT), { timeoutMs: 30_000, what: `the flood to reach line ${COUNT}` });
  const peak = serverSide.bufferedBytes();
  t.true(peak > SOFT_BUFFER_BYTES, `the server side queued ${peak} bytes`);
  // A second flood while the port is still over its bound: however load batches its reads, all of it is
  // counted, none queued (the first may have come as one event that crossed the bound, with nothing after it).
  const info = h.info('flood:0');
  if (info?.state.status !== 'online') return t.fail('flood:0 is not online');
  process.kill(info.state.pid, 'SIGUSR2');
  await waitFor(() => lastLine(2 * COUNT), { timeoutMs: 30_000, what: `the second flood to reach line ${2 * COUNT}` });
  const grown = serverSide.bufferedBytes() - peak;
  t.true(grown < 64 * 1024, `${grown} bytes more were queued for a second flood of ${COUNT} lines: only small state events may be`);
  // Past the soft bound nothing more is queued but the event that crossed it (and a few small state events).
  t.true(peak <= SOFT_BUFFER_BYTES + largestEvent + 64 * 1024, `and stopped queueing log events once over the soft bound (${peak} bytes; largest event ${largestEvent})`);
  clientSide.resume();
  const marker = await waitFor(() => lines.find((line) => line.skipped !== undefined), { what: 'the skipped marker' });
  t.regex(marker.line, /^\[… \d+ lines skipped: this client did not read fast enough\]$/);
  const heard = (): number => lines.filter((line) => line.skipped === undefined).length;
  const counted = (): number => lines.reduce((sum, line) => sum + (line.skipped ?? 0), 0);
  // The last lines of the flood may reach the connection only after the marker: they then arrive as lines.
  await waitFor(() => heard() + counted() >= 2 * COUNT, { what: 'every line to arrive or be counted' }).catch(() => undefined);
  t.is(heard() + counted(), 2 * COUNT, 'every line either arrived or was counted');
  t.true(heard() > 0 && counted() > 0, `${heard()} heard, ${counted()} counted`);
});

/** A port that says its peer has more than HARD_BUFFER_BYTES waiting, whatever is sent; `request` plays the client. */
function swampedPort(keepsSlowReaders: boolean): { port: MessagePort; request: (message: object) => void; destroyed: () => string | undefined } {
  let handler: PortHandler | undefined;
  let destroyed: string | undefined;
  const port: MessagePort = {
    keepsSlowReaders,
    attach: (h) => void (handler = h),
    send: () => false,
    bufferedBytes: () => HARD_BUFFER_BYTES + 1,
    pause: () => undefined,
    resume: () => undefined,
    end: () => undefined,
    destroy: (reason) => void (destroyed = reason ?? 'destroyed'),
    get writable() {
      return destroyed === undefined;
    },
    get closed() {
      return destroyed !== undefined;
    },
  };
  return { port, request: (message) => handler?.message(JSON.stringify(message)), destroyed: () => destroyed };
}

test('a port that keeps slow readers (a mesh session) is never closed for a follower that falls behind; a socket client is', async (t) => {
  const h = await harness(t, [appSpec({ name: 'talk', script: procScript('lines.js'), args: ['2000', 'stay'], autostart: false })]);
  const identity = { pid: process.pid, project: 'memory', version: '0.0.0' };
  const kept = swampedPort(true);
  const cut = swampedPort(false);
  for (const side of [kept, cut]) {
    new Connection(side.port, { controller: h.supervisor, identity, plugins: undefined });
    side.request({ v: 1, type: 'subscribe', id: 1, logs: 'all', metrics: false });
  }
  await h.supervisor.start('talk');
  await waitFor(() => cut.destroyed() !== undefined, { what: 'the client that reads nothing to be cut off' });
  t.is(cut.destroyed(), 'the client did not read its events');
  await waitFor(async () => {
    const tail = await h.supervisor.logs('talk', { lines: 1 });
    return tail.ok && tail.lines[0]?.line === 'line 2000';
  }, { what: 'every line written' });
  t.is(kept.destroyed(), undefined, 'the mesh port is kept: its follower only misses lines');
});
