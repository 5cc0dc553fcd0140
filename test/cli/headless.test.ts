import { Writable } from 'node:stream';
import test from 'ava';
import { describeState, MAX_BACKLOG_BYTES, printHeadless } from '../../src/cli/headless.js';
import type { SupervisorEvent } from '../../src/model/events.js';
import type { SubscribeOptions } from '../../src/model/controller.js';
import type { InstanceId } from '../../src/model/ids.js';
import type { Segment } from '../../src/logs/segment.js';
import { waitFor } from '../helpers/wait.js';

/** Honours `logs: 'none'` as the Supervisor does. */
function fakeController(): { subscribe: (listener: (e: SupervisorEvent) => void, options?: SubscribeOptions) => () => void; push: (e: SupervisorEvent) => void } {
  let target: ((e: SupervisorEvent) => void) | undefined;
  return {
    subscribe: (listener, options) => {
      target = options?.logs === 'none' ? (e) => void (e.type === 'log' || listener(e)) : listener;
      listener({ type: 'snapshot', instances: [] });
      return () => (target = undefined);
    },
    push: (e) => target?.(e),
  };
}

const line = (seq: number, text: string, app = 'api', id: InstanceId = 'api:0') => ({ seq, id, app, stream: 'out' as const, time: 0, line: text });

test('lines are prefixed with the app name, padded to the longest; state changes come from node-unit', async (t) => {
  let text = '';
  const out = new Writable({ write: (chunk: Buffer, _enc, done) => ((text += chunk.toString()), done()) });
  const controller = fakeController();
  printHeadless(controller, { color: false, out, instanceCounts: new Map([['api', 1], ['worker', 2]]) });
  controller.push({ type: 'log', lines: [line(1, 'hello'), line(2, 'busy', 'worker', 'worker:1')] });
  controller.push({ type: 'state', instance: { id: 'api:0', app: 'api', index: 0, namespace: 'default', state: { status: 'online', pid: 42, since: 0, restarts: 0 }, cpu: undefined, memory: undefined, note: undefined } });
  await waitFor(() => text.split('\n').length >= 4, { what: 'three lines' });
  t.deepEqual(text.split('\n').slice(0, 3), ['api       | hello', 'worker:1  | busy', 'node-unit | api online (pid 42)']);
});

test('a reader that falls behind costs log lines, with a count, never unbounded memory', async (t) => {
  const held: (() => void)[] = [];
  let text = '';
  const out = new Writable({
    highWaterMark: 1024,
    write: (chunk: Buffer, _enc, done) => {
      text += chunk.toString();
      held.push(done);
    },
  });
  const controller = fakeController();
  printHeadless(controller, { color: false, out, instanceCounts: new Map([['api', 1]]) });
  const big = 'x'.repeat(1000);
  let seq = 0;
  for (let batch = 0; batch < 120; batch++) {
    controller.push({ type: 'log', lines: Array.from({ length: 200 }, () => line(++seq, big)) });
    await new Promise((resolve) => setImmediate(resolve));
  }
  // One batch (200 kB) may pass the bound before the check sees it.
  t.true(out.writableLength < MAX_BACKLOG_BYTES + 300_000, `backlog ${out.writableLength}`);
  while (held.length > 0) held.shift()?.();
  controller.push({ type: 'log', lines: [line(++seq, 'after')] });
  await waitFor(() => {
    while (held.length > 0) held.shift()?.();
    return text.includes('after');
  }, { what: 'the line after the backlog cleared' });
  t.regex(text, /node-unit \| \[… \d+ lines skipped: output was not read fast enough\]\napi\s+\| after/);
});

test('state wording', (t) => {
  const base = { id: 'a:0' as const, app: 'a', index: 0, namespace: 'default', cpu: undefined, memory: undefined, note: undefined };
  t.is(describeState({ ...base, state: { status: 'errored', reason: 'boom', restarts: 0, since: 0 } }), 'errored: boom');
  t.is(describeState({ ...base, state: { status: 'pending', reason: 'waiting for api to be ready', restarts: 0 } }), 'pending: waiting for api to be ready');
  t.is(describeState({ ...base, state: { status: 'exited', code: 0, signal: null, restarts: 0, since: 0 } }), 'exited with code 0');
  t.is(describeState({ ...base, state: { status: 'starting', pid: 1, since: 0, restarts: 0 } }), undefined);
});

test('stopping settles once a slow reader took the last lines, though no write went over the high-water mark', async (t) => {
  let text = '';
  let release: (() => void) | undefined;
  // Holds the first chunk until released: the last write is still queued when printing stops.
  const out = new Writable({
    highWaterMark: 1024 * 1024,
    write: (chunk: Buffer, _enc, done) => {
      if (release) return void ((text += chunk.toString()), done());
      release = () => ((text += chunk.toString()), done());
    },
  });
  const controller = fakeController();
  const stop = printHeadless(controller, { color: false, out, instanceCounts: new Map([['api', 1]]) });
  controller.push({ type: 'log', lines: [line(1, 'last words')] });
  await waitFor(() => release !== undefined, { what: 'the write to reach the reader' });
  let settled = false;
  void stop().then(() => (settled = true));
  t.false(settled);
  release?.();
  // Well inside the 5 s limit a missed drain would wait out.
  await waitFor(() => settled, { timeoutMs: 3000, what: 'stop to settle once the reader took the last lines' });
  t.is(text, 'api       | last words\n');
});

test('a run of lines from one instance costs one prefix; an instance scaled to two is named app:N from then on', async (t) => {
  let text = '';
  const out = new Writable({ write: (chunk: Buffer, _enc, done) => ((text += chunk.toString()), done()) });
  const controller = fakeController();
  printHeadless(controller, { color: false, out, instanceCounts: new Map([['api', 1]]) });
  controller.push({ type: 'log', lines: [line(1, 'one'), line(2, 'two')] });
  await waitFor(() => text.includes('two'), { what: 'two lines' });
  controller.push({ type: 'state', instance: { id: 'api:1', app: 'api', index: 1, namespace: 'default', state: { status: 'starting', pid: undefined, since: 0, restarts: 0 }, cpu: undefined, memory: undefined, note: undefined } });
  controller.push({ type: 'log', lines: [line(3, 'three')] });
  await waitFor(() => text.includes('three'), { what: 'the third line' });
  t.deepEqual(text.trimEnd().split('\n'), ['api       | one', 'api       | two', 'api:0     | three']);
});

test('raw lines from the supervisor are printed as bytes: each line prefixed, escapes stripped without colour, long lines whole', async (t) => {
  let text = '';
  const out = new Writable({ write: (chunk: Buffer, _enc, done) => ((text += chunk.toString()), done()) });
  const controller = fakeController();
  let tapped: ((segment: Segment) => void) | undefined;
  const stop = printHeadless(controller, { color: false, out, instanceCounts: new Map([['api', 2]]), tap: (listener) => ((tapped = listener), () => (tapped = undefined)) });
  const long = 'y'.repeat(100_000);
  const segment = (id: InstanceId, data: string, count: number): Segment => ({ seq: 0, count, id, app: 'api', stream: 'out', time: 0, data: Buffer.from(data) });
  tapped?.(segment('api:0', 'plain\n\x1b[31mred\x1b[39m\n', 2));
  tapped?.(segment('api:1', `${long}\n`, 1));
  // Log events are not asked for when lines come raw: one printed twice would show here.
  controller.push({ type: 'log', lines: [line(9, 'from an event')] });
  await stop();
  t.is(tapped, undefined, 'the tap is removed on stop');
  t.deepEqual(text.split('\n'), ['api:0     | plain', 'api:0     | red', `api:1     | ${long}`, '']);
});
