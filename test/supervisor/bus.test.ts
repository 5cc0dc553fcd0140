import test from 'ava';
import type { LogLine, SupervisorEvent } from '../../src/model/events.js';
import type { InstanceId } from '../../src/model/ids.js';
import { EventBus, LOG_EVENT_BYTES, splitLogBatch } from '../../src/supervisor/bus.js';

const line = (n: number, text = `line ${n}`): LogLine => ({ seq: n, id: 'flood:0' as InstanceId, app: 'flood', stream: 'out', time: n, line: text });

test('a batch is cut into runs of about LOG_EVENT_BYTES, in order, none empty; a line larger than that runs alone', (t) => {
  const lines = Array.from({ length: 100_000 }, (_, i) => line(i));
  const runs = splitLogBatch(lines);
  t.true(runs.length > 1);
  t.deepEqual(runs.flat(), lines);
  for (const run of runs) {
    t.true(run.length > 0);
    t.true(Buffer.byteLength(JSON.stringify(run)) <= 2 * LOG_EVENT_BYTES, `a run of ${run.length} lines`);
  }
  const huge = line(1, 'x'.repeat(LOG_EVENT_BYTES * 2));
  t.deepEqual(splitLogBatch([line(0), huge, line(2)]).map((run) => run.length), [1, 1, 1]);
  t.deepEqual(splitLogBatch([line(0), line(1)]).map((run) => run.length), [2]);
});

test('a turn that gathered megabytes of lines reaches each subscriber as several log events, in order, before the next event', async (t) => {
  const bus = new EventBus();
  const events: SupervisorEvent[] = [];
  bus.add((event) => events.push(event), 'all');
  const lines = Array.from({ length: 50_000 }, (_, i) => line(i));
  bus.lines(lines);
  bus.emit({ type: 'shutdown', reason: 'test' });
  const logs = events.filter((event) => event.type === 'log');
  t.true(logs.length > 1, `${logs.length} log events`);
  t.deepEqual(logs.flatMap((event) => (event.type === 'log' ? event.lines : [])), lines);
  t.is(events.at(-1)?.type, 'shutdown');
});
