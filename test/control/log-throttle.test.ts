import test from 'ava';
import { fairShares, ThrottledLogs } from '../../src/control/log-throttle.js';
import type { LogLine, SupervisorEvent } from '../../src/model/events.js';
import type { InstanceId } from '../../src/model/ids.js';
import { waitFor } from '../helpers/wait.js';

let seq = 0;
const lineOf = (id: InstanceId, text: string): LogLine => ({ seq: ++seq, id, app: id.split(':')[0] ?? id, stream: 'out', time: 0, line: text });
const logLines = (events: readonly SupervisorEvent[]): LogLine[] => events.flatMap((event) => (event.type === 'log' ? [...event.lines] : []));

test('fair shares: quiet instances keep every line, floods share the rest equally', (t) => {
  const counts = (entries: readonly (readonly [InstanceId, number])[]): ReadonlyMap<InstanceId, number> => new Map(entries);
  t.deepEqual(Object.fromEntries(fairShares(counts([['a:0', 1000], ['b:0', 3], ['c:0', 1000]]), 101)), { 'b:0': 3, 'a:0': 49, 'c:0': 49 });
  t.deepEqual(Object.fromEntries(fairShares(counts([['a:0', 10], ['b:0', 20]]), 100)), { 'a:0': 10, 'b:0': 20 });
});

test('under its cap a batch passes whole, once per period; over it the newest lines of each instance go, the rest are counted in place', async (t) => {
  const sent: SupervisorEvent[] = [];
  const throttled = new ThrottledLogs({ ms: 30, lines: 50 }, (event) => sent.push(event));
  t.teardown(() => throttled.dispose());
  throttled.deliver({ type: 'log', lines: [lineOf('api:0', 'one'), lineOf('api:0', 'two')] });
  t.is(sent.length, 0, 'held until the period ends');
  await waitFor(() => sent.length === 1, { what: 'the first batch' });
  t.deepEqual(logLines(sent).map((line) => line.line), ['one', 'two']);

  const quiet = lineOf('worker:0', 'job done');
  const flood = Array.from({ length: 1000 }, (_, i) => lineOf('flood:0', `flood ${i}`));
  throttled.deliver({ type: 'log', lines: [...flood.slice(0, 500), quiet, ...flood.slice(500)] });
  await waitFor(() => sent.length === 2, { what: 'the second batch' });
  const batch = logLines(sent.slice(1));
  t.true(batch.some((line) => line.line === 'job done'), 'the quiet line got through the flood');
  const kept = batch.filter((line) => line.id === 'flood:0' && line.skipped === undefined);
  t.is(kept.length, 49);
  t.is(kept.at(-1)?.line, 'flood 999', 'the newest lines');
  const marker = batch.find((line) => line.skipped !== undefined);
  t.is(marker?.skipped, 951);
  t.regex(marker?.line ?? '', /951 lines not sent to this view.*the log files have them/);
  t.deepEqual(batch.map((line) => line.seq), [...batch.map((line) => line.seq)].sort((a, b) => a - b), 'in seq order, the marker in its place');
});

test('another event sends the held lines first, so order is kept', (t) => {
  const sent: SupervisorEvent[] = [];
  const throttled = new ThrottledLogs({ ms: 1000, lines: 50 }, (event) => sent.push(event));
  t.teardown(() => throttled.dispose());
  throttled.deliver({ type: 'log', lines: [lineOf('api:0', 'before the exit')] });
  throttled.deliver({ type: 'shutdown', reason: 'test' });
  t.deepEqual(sent.map((event) => event.type), ['log', 'shutdown']);
});
