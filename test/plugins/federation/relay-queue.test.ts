import test from 'ava';
import { RelayQueue, type RelayItem } from '../../../plugins/federation/relay-queue.js';

/** The master's queue per viewer of `logs -f --node`: bounded, with markers where lines are missing. */

const MIB = 1024 * 1024;

test('a full queue drops and counts: one marker after the lines kept, memory bounded', (t) => {
  const queue = new RelayQueue<number>(1000);
  for (let i = 0; i < 100; i++) queue.push(i, 100);
  t.is(queue.buffered, 1000);
  const first = queue.take(10_000);
  t.is(first.filter((item) => item.kind === 'line').length, 10);
  t.deepEqual(first.at(-1), { kind: 'dropped', count: 90 }, 'the marker follows the lines kept');
  queue.push(100, 100);
  t.deepEqual(queue.take(10_000), [{ kind: 'line', line: 100, size: 100 }]);
});

test('a worker marker and the master own drops merge into one marker, each marker where lines are missing', (t) => {
  const queue = new RelayQueue<string>(250);
  queue.push('a', 100);
  queue.pushDropped(5);
  t.false(queue.push('too big', 300));
  queue.push('b', 100);
  t.false(queue.push('c', 100));
  queue.push('d', 10);
  t.deepEqual(
    queue.take(10_000).map((item) => (item.kind === 'line' ? item.line : item.count)),
    ['a', 6, 'b', 1, 'd'],
  );
});

/** One viewer: its own queue on the master, drained as fast as its terminal takes lines. */
class Viewer {
  readonly relay = new RelayQueue<number>(MIB);
  readonly received: number[] = [];
  markers = 0;
  droppedSeen = 0;
  maxBuffered = 0;

  constructor(readonly drainPerTick: number) {}

  line(seq: number, size: number): void {
    this.relay.push(seq, size);
    this.maxBuffered = Math.max(this.maxBuffered, this.relay.buffered);
  }

  tick(): void {
    this.relay.take(this.drainPerTick).forEach((item: RelayItem<number>) => {
      if (item.kind === 'line') this.received.push(item.line);
      else {
        this.markers++;
        this.droppedSeen += item.count;
      }
    });
  }
}

test('a flood with a slow viewer: bounded memory on the master, markers for the slow one, the fast one misses nothing', (t) => {
  const fast = new Viewer(Number.POSITIVE_INFINITY);
  const slow = new Viewer(4 * 1024);
  const viewers = [fast, slow];
  const total = 100_000;
  for (let seq = 0; seq < total; seq++) {
    viewers.forEach((v) => v.line(seq, 200));
    if (seq % 100 === 99) viewers.forEach((v) => v.tick());
  }
  for (let i = 0; i < 10_000 && slow.relay.length > 0; i++) viewers.forEach((v) => v.tick());
  viewers.forEach((v) => v.tick());

  t.is(fast.received.length, total, 'the fast viewer got every line');
  t.is(fast.markers, 0);
  t.true(slow.maxBuffered <= MIB, `slow viewer queue peaked at ${slow.maxBuffered}`);
  t.true(slow.markers > 0, 'the slow viewer is told what it missed');
  t.is(slow.received.length + slow.droppedSeen, total, 'every line is either delivered or counted in a marker');
  t.true(slow.received.every((seq, i) => i === 0 || seq > (slow.received[i - 1] ?? -1)), 'lines stay in order');
});
