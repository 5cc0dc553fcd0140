import test from 'ava';
import { FollowCredit, Follows, MAX_CREDIT, MIB, RelayQueue, type RelayItem } from '../../../plugins/federation/credits.js';

/** Credit-based log follows: the worker never buffers, the master's queue per viewer stays bounded. */

test('a worker sends while it has credit, then drops and counts; the next grant hands out one marker', (t) => {
  const follow = new FollowCredit(250);
  t.true(follow.offer(100));
  t.true(follow.offer(100));
  t.false(follow.offer(100), 'only 50 bytes left');
  t.false(follow.offer(60));
  t.true(follow.offer(50), 'a line that fits the rest still goes');
  t.is(follow.pendingDropped, 2);
  t.deepEqual(follow.grant(1000), { ok: true, marker: { dropped: 2 } });
  t.deepEqual(follow.grant(1000), { ok: true, marker: undefined }, 'a marker is handed out once');
  t.is(follow.credit, 2000);
  t.is(follow.droppedTotal, 2);
});

test('grants are validated and capped: a huge grant is no licence to buffer', (t) => {
  const follow = new FollowCredit();
  t.false(follow.offer(1), 'no credit at first');
  for (const bad of [0, -5, 1.5, '100', Number.NaN, Number.MAX_SAFE_INTEGER + 2, null]) t.like(follow.grant(bad), { ok: false });
  t.like(follow.grant(Number.MAX_SAFE_INTEGER), { ok: true, marker: { dropped: 1 } });
  t.is(follow.credit, MAX_CREDIT);
});

test('the relay queue grants upstream only what it can hold, in large steps', (t) => {
  const queue = new RelayQueue<string>(1000);
  t.is(queue.grantUpstream(), 1000);
  t.is(queue.grantUpstream(), 0, 'everything is already granted');
  for (let i = 0; i < 8; i++) t.true(queue.push(`l${i}`, 100));
  t.is(queue.grantUpstream(), 0, 'still 200 bytes in flight');
  t.is(queue.take(500).length, 5);
  t.is(queue.buffered, 300);
  t.is(queue.grantUpstream(), 500, '1000 − 300 buffered − 200 still in flight');
});

test('a peer that ignores its credit overruns the queue: lines dropped, counted, one marker, memory bounded', (t) => {
  const queue = new RelayQueue<number>(1000);
  for (let i = 0; i < 100; i++) queue.push(i, 100);
  t.is(queue.buffered, 1000);
  t.is(queue.overruns, 90);
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

/** One viewer's path end to end: worker credit → sealed link (instant here) → master queue → the viewer. */
class ViewerPath {
  readonly worker = new FollowCredit();
  readonly relay = new RelayQueue<number>(MIB);
  readonly received: number[] = [];
  markers = 0;
  droppedSeen = 0;
  maxBuffered = 0;

  constructor(readonly drainPerTick: number) {}

  /** A line from the app: the worker's one decision, never a wait. */
  line(seq: number, size: number): void {
    if (this.worker.offer(size)) this.relay.push(seq, size);
    this.maxBuffered = Math.max(this.maxBuffered, this.relay.buffered);
  }

  /** The viewer reads what its terminal takes this tick; the master grants upstream what it can hold. */
  tick(): void {
    this.relay.take(this.drainPerTick).forEach((item: RelayItem<number>) => {
      if (item.kind === 'line') this.received.push(item.line);
      else {
        this.markers++;
        this.droppedSeen += item.count;
      }
    });
    const grant = this.relay.grantUpstream();
    if (grant > 0) {
      const granted = this.worker.grant(grant);
      if (granted.ok && granted.marker) this.relay.pushDropped(granted.marker.dropped);
    }
  }
}

test('a flood with a slow viewer: bounded memory on the master, markers for the slow one, the fast one misses nothing', (t) => {
  const fast = new ViewerPath(Number.POSITIVE_INFINITY);
  const slow = new ViewerPath(4 * 1024);
  const viewers = [fast, slow];
  viewers.forEach((v) => v.tick());
  const lineSize = 200;
  const total = 100_000;
  for (let seq = 0; seq < total; seq++) {
    viewers.forEach((v) => v.line(seq, lineSize));
    if (seq % 100 === 99) viewers.forEach((v) => v.tick());
  }
  for (let i = 0; i < 10_000 && slow.relay.length > 0; i++) viewers.forEach((v) => v.tick());
  viewers.forEach((v) => v.tick());

  t.is(fast.received.length, total, 'the fast viewer got every line');
  t.is(fast.markers, 0);
  t.deepEqual(fast.received.slice(0, 3), [0, 1, 2]);
  t.true(slow.maxBuffered <= MIB, `slow viewer queue peaked at ${slow.maxBuffered}`);
  t.true(fast.maxBuffered <= MIB);
  t.true(slow.markers > 0, 'the slow viewer is told what it missed');
  t.is(slow.received.length + slow.droppedSeen, total, 'every line is either delivered or counted in a marker');
  t.is(slow.relay.overruns, 0, 'an honest worker never overruns the master queue');
  t.true(slow.received.every((seq, i) => i === 0 || seq > (slow.received[i - 1] ?? -1)), 'lines stay in order');
});

test('follows on a worker are bounded per session and each keeps its own credit', (t) => {
  const follows = new Follows<string>(2);
  const fast = follows.open('fast', 1000);
  const slow = follows.open('slow', 150);
  t.is(follows.open('third'), 'follow: at most 2 follows per session');
  t.is(follows.open('fast'), 'follow: this follow is already open');
  t.deepEqual(follows.offer(['fast', 'slow'], 100), ['fast', 'slow']);
  t.deepEqual(follows.offer(['fast', 'slow'], 100), ['fast'], 'the slow one drops, the fast one still gets it');
  t.deepEqual(follows.offer(['fast', 'gone'], 100), ['fast'], 'an unknown follow gets nothing');
  t.is(typeof slow === 'string' ? -1 : slow.pendingDropped, 1);
  t.is(typeof fast === 'string' ? -1 : fast.credit, 700);
  follows.close('slow');
  t.true(typeof follows.open('third') !== 'string');
});
