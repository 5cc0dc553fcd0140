import net from 'node:net';
import path from 'node:path';
import test from 'ava';
import { connectControl } from '../../src/control/client.js';
import { packLines, RUN_CHARS, unpackRuns } from '../../src/control/log-runs.js';
import { startControlServer } from '../../src/control/server.js';
import type { LogLine } from '../../src/model/events.js';
import { appSpec, procScript } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

/** Log lines packed into runs (one string per run of lines) for the wire, and back. */

const line = (seq: number, text: string, more: Partial<LogLine> = {}): LogLine => ({ seq, id: 'api:0', app: 'api', stream: 'out', time: 1000, line: text, ...more });

test('runs give back every line exactly: escapes, unicode, quotes, empty lines, a line holding a newline, markers, other instances and gaps', (t) => {
  const lines: LogLine[] = [
    line(1, '\u001b[31mred\u001b[0m and "quoted" \\ back\\slash'),
    line(2, ''),
    line(3, 'ünïcödé 日本語 🚀 \u2028 \u0000 tab\there\r'),
    line(4, 'a line that holds\na newline'),
    line(5, 'after it'),
    line(6, '[… 40 lines skipped]', { skipped: 40 }),
    line(47, 'after a gap'),
    line(48, 'other stream', { stream: 'err' }),
    line(49, 'other instance', { id: 'api:1' }),
    line(50, 'later read', { id: 'api:1', time: 1001 }),
    line(51, 'from a node', { id: 'api:1', time: 1001, node: 'nas' }),
    line(52, 'same node', { id: 'api:1', time: 1001, node: 'nas' }),
  ];
  const runs = packLines(lines);
  const unpacked = unpackRuns(JSON.parse(JSON.stringify(runs)), 'runs');
  if (!unpacked.ok) return t.fail(unpacked.error);
  t.deepEqual(unpacked.lines, lines);
  t.deepEqual(
    runs.map((run) => run.count),
    [3, 1, 1, 1, 1, 1, 1, 1, 2],
    'consecutive lines of one instance, stream and time share a run; a newline-holding line, a marker and a change each start one',
  );
});

test('a flood of one instance packs into runs of at most RUN_CHARS whose texts are the lines joined', (t) => {
  const lines = Array.from({ length: 1000 }, (_, i) => line(100 + i, `${String(i).padStart(4, '0')} ${'x'.repeat(95)}`));
  const runs = packLines(lines);
  t.is(runs.length, Math.ceil((1000 * 101) / RUN_CHARS));
  t.true(runs.every((run) => run.text.length < RUN_CHARS));
  t.is(runs.map((run) => run.text).join('\n'), lines.map((l) => l.line).join('\n'));
  t.deepEqual(runs.map((run) => run.seq), runs.map((_, i) => 100 + i * (runs[0]?.count ?? 0)));
});

test('a run that does not fit is refused with what is wrong and where', (t) => {
  const good = { seq: 1, count: 2, id: 'api:0', app: 'api', stream: 'out', time: 1, text: 'a\nb' };
  const cases: readonly [unknown, RegExp][] = [
    [{ ...good, count: 3 }, /runs\[0\]: expected 3 lines without a skipped count, got 2/],
    [{ ...good, skipped: 4 }, /runs\[0\]: expected 2 lines without a skipped count, got 2 and a skipped count/],
    [{ ...good, id: 'api' }, /runs\[0\]\.id: expected an instance id/],
    [{ ...good, stream: 'in' }, /runs\[0\]\.stream: expected one of "out", "err"/],
    [{ ...good, text: 7 }, /runs\[0\]\.text: expected a string, got 7/],
  ];
  for (const [run, message] of cases) {
    const unpacked = unpackRuns([run], 'runs');
    t.false(unpacked.ok);
    if (!unpacked.ok) t.regex(unpacked.error, message);
  }
  const notList = unpackRuns({}, 'event.runs');
  t.false(notList.ok);
});

test('over a real socket, a subscriber that asks for packed lines gets runs; one that does not (an older client) gets one object per line', async (t) => {
  const h = await harness(t, [appSpec({ name: 'burst', script: procScript('lines.js'), args: ['2000', 'stay'], autostart: false })]);
  const server = await startControlServer(h.supervisor, { stateDir: path.join(tempDir('nu-runs-'), '.node-unit'), project: 'runs', version: '9.9.9' });
  t.teardown(() => server.close());
  const watch = (packed: boolean): { readonly events: () => readonly Record<string, unknown>[]; readonly subscribed: () => boolean } => {
    const socket = net.createConnection(server.path);
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    socket.write(`${JSON.stringify({ v: 1, id: 1, type: 'subscribe', logs: 'burst', metrics: false, ...(packed ? { packed: true } : {}) })}\n`);
    const events = (): readonly Record<string, unknown>[] =>
      received
        .split('\n')
        .filter(Boolean)
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .flatMap((message) => (message.type === 'event' && typeof message.event === 'object' && message.event !== null && 'type' in message.event && message.event.type === 'log' ? [message.event as Record<string, unknown>] : []));
    t.teardown(() => socket.destroy());
    return { events, subscribed: () => received.includes('"type":"reply"') };
  };
  const packed = watch(true);
  const plain = watch(false);
  await waitFor(() => packed.subscribed() && plain.subscribed(), { what: 'both subscriptions' });
  await h.supervisor.start('burst');
  const countLines = (events: readonly Record<string, unknown>[]): number =>
    events.reduce((sum, event) => sum + (Array.isArray(event.runs) ? event.runs.reduce((n: number, run: { readonly count: number }) => n + run.count, 0) : Array.isArray(event.lines) ? event.lines.length : 0), 0);
  await waitFor(() => countLines(packed.events()) >= 2000 && countLines(plain.events()) >= 2000, { timeoutMs: 15_000, what: '2000 lines on both sockets' });
  t.true(packed.events().every((event) => Array.isArray(event.runs) && !('lines' in event)), 'packed: runs only');
  t.true(packed.events().length < 2000, 'packed: far fewer runs than lines');
  t.true(plain.events().every((event) => Array.isArray(event.lines) && !('runs' in event)), 'plain: lines only');
});

test('logs -f over a real socket: a flood the reader keeps up with arrives whole and in order, each line once', async (t) => {
  const count = 30_000;
  const h = await harness(t, [appSpec({ name: 'flood', script: procScript('lines.js'), args: [String(count), 'stay'], autostart: false })]);
  const server = await startControlServer(h.supervisor, { stateDir: path.join(tempDir('nu-runs-'), '.node-unit'), project: 'runs', version: '9.9.9' });
  t.teardown(() => server.close());
  const client = await connectControl(server.path);
  t.teardown(() => client.close());
  const texts: string[] = [];
  let snapshot = false;
  const unsubscribe = client.subscribe((event) => {
    if (event.type === 'snapshot') snapshot = true;
    if (event.type === 'log') for (const l of event.lines) texts.push(l.skipped === undefined ? l.line : `skipped ${l.skipped}`);
  }, { logs: 'flood', metrics: false });
  t.teardown(unsubscribe);
  await waitFor(() => snapshot, { what: 'the snapshot' });
  await client.list();
  await client.start('flood');
  await waitFor(() => texts.length >= count || texts.some((text) => text.startsWith('skipped')), { timeoutMs: 30_000, what: `${count} lines` });
  t.deepEqual(texts, Array.from({ length: count }, (_, i) => `line ${i + 1}`));
});
