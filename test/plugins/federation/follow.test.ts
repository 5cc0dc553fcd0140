import test from 'ava';
import { FOLLOW_CREDIT_BYTES, Follows, windowFor, type FollowItem } from '../../../plugins/federation/follow.js';
import type { NodeOutcome } from '../../../plugins/federation/route.js';
import { FakeController, historyLines, info, online } from '../../tui/fake-controller.js';

/** The master's relay for `logs -f --node`: bounded per viewer, markers for what a slow viewer lost, no gap or line twice. */

const tailsOf = async (...pairs: readonly (readonly [string, FakeController])[]): Promise<readonly NodeOutcome[]> =>
  Promise.all(pairs.map(async ([node, controller]) => ({ node, status: 'ok' as const, value: await controller.logs(undefined, { lines: 5 }) })));

const followOne = (follows: Follows, node: string, controller: FakeController): Promise<{ readonly id: string }> =>
  follows.open([{ node, controller }], [], { target: undefined, streams: undefined }, () => tailsOf([node, controller]));

const texts = (items: readonly FollowItem[]): readonly string[] =>
  items.flatMap((item) => (item.kind === 'run' ? item.run.text.split('\n').map((text) => `${item.run.node}:${text}`) : item.kind === 'dropped' ? [`dropped ${item.count}`] : [item.message]));

test('tail then follow: lines heard before the tail was read are kept only when the tail does not hold them', async (t) => {
  const follows = new Follows();
  t.teardown(() => follows.dispose());
  const nas = new FakeController([info('db', online(10))], historyLines('db:0', 3));
  const opened = await follows.open([{ node: 'nas', controller: nas }], [], { target: undefined, streams: undefined }, async () => {
    // Heard while the tail was being read: line 3 is also in the tail; line 4 is new.
    nas.emit({ type: 'log', lines: historyLines('db:0', 2, (i) => `line ${i + 2}`, 3) });
    return tailsOf(['nas', nas]);
  });
  t.deepEqual(opened.tails.map((o) => o.status), ['ok']);
  nas.emit({ type: 'log', lines: historyLines('db:0', 1, () => 'line 5', 5) });
  t.deepEqual(texts((await follows.next(opened.id, 0)) ?? []), ['nas:line 4', 'nas:line 5']);
});

test('a flooding node and a slow viewer: the relay stays under 1 MiB, says how many lines were dropped, and the quiet node still flows', async (t) => {
  const follows = new Follows();
  t.teardown(() => follows.dispose());
  const flood = new FakeController([info('spam', online(11))]);
  const quiet = new FakeController([info('db', online(12))]);
  const { id } = await follows.open([{ node: 'flood', controller: flood }, { node: 'quiet', controller: quiet }], [], { target: undefined, streams: undefined }, () => tailsOf(['flood', flood], ['quiet', quiet]));
  const line = 'x'.repeat(1000);
  for (let i = 0; i < 5000; i++) flood.log('spam:0', line);
  quiet.log('db:0', 'still here');
  let seen = 0;
  let dropped = 0;
  for (let polls = 0; polls < 100; polls++) {
    const items = (await follows.next(id, 0)) ?? [];
    if (items.length === 0) break;
    const bytes = items.reduce((sum, item) => sum + (item.kind === 'run' ? item.run.text.length : 0), 0);
    t.true(bytes <= 300 * 1024, 'one poll hands out at most about 256 KiB');
    for (const item of items) {
      if (item.kind === 'run') seen += item.run.count;
      else if (item.kind === 'dropped') dropped += item.count;
    }
  }
  t.true(seen < 1100, `at most about 1 MiB of lines was held (${seen})`);
  t.is(seen + dropped, 5001, 'every line either shown or counted');
  t.true(dropped > 0);
  quiet.log('db:0', 'later');
  t.deepEqual(texts((await follows.next(id, 0)) ?? []), ['quiet:later'], 'once read, the quiet node flows again');
});

test('closing a follow ends its subscriptions; polling it after is answered with nothing', async (t) => {
  const follows = new Follows();
  const nas = new FakeController([info('db', online(10))]);
  const { id } = await follows.open([{ node: 'nas', controller: nas }], [], { target: undefined, streams: undefined }, () => tailsOf(['nas', nas]));
  t.is(nas.subscribers, 1);
  t.true(follows.close(id));
  t.is(nas.subscribers, 0);
  t.is(await follows.next(id, 0), undefined);
  follows.dispose();
});

test('several polls in flight are answered in the order they came, each with the lines heard by then, none twice', async (t) => {
  const follows = new Follows();
  t.teardown(() => follows.dispose());
  const nas = new FakeController([info('db', online(10))]);
  const { id } = await followOne(follows, 'nas', nas);
  // Polls that would wait a minute: each must be answered by a line, long before (ava's timeout is 10 s).
  const polls = [follows.next(id, 60_000), follows.next(id, 60_000), follows.next(id, 60_000)];
  nas.log('db:0', 'one');
  nas.log('db:0', 'two');
  t.deepEqual(texts((await polls[0]) ?? []), ['nas:one'], 'the oldest poll is answered first, at once');
  t.deepEqual(texts((await polls[1]) ?? []), ['nas:two']);
  nas.log('db:0', 'three');
  nas.log('db:0', 'four');
  t.deepEqual(texts((await polls[2]) ?? []), ['nas:three']);
  t.deepEqual(texts((await follows.next(id, 2000)) ?? []), ['nas:four'], 'what no poll was waiting for is kept for the next one');
});

test('a flood read by several polls in flight: every line shown once and in order, or counted as dropped', async (t) => {
  const follows = new Follows();
  t.teardown(() => follows.dispose());
  const flood = new FakeController([info('spam', online(11))]);
  const { id } = await followOne(follows, 'flood', flood);
  const inFlight = [follows.next(id, 100), follows.next(id, 100), follows.next(id, 100)];
  for (let i = 0; i < 3000; i++) flood.log('spam:0', `${i} ${'x'.repeat(1000)}`);
  const shown: number[] = [];
  let dropped = 0;
  for (let polls = 0; polls < 100 && inFlight.length > 0; polls++) {
    const items = (await inFlight.shift()) ?? [];
    for (const item of items) {
      if (item.kind === 'run') for (const text of item.run.text.split('\n')) shown.push(Number(text.split(' ')[0]));
      else if (item.kind === 'dropped') dropped += item.count;
    }
    if (items.length > 0) inFlight.push(follows.next(id, 100));
  }
  await Promise.all(inFlight);
  t.deepEqual(shown, [...shown].sort((a, b) => a - b), 'in order');
  t.is(new Set(shown).size, shown.length, 'none twice');
  t.is(shown.length + dropped, 3000, 'every line either shown or counted');
});

test('closing a follow answers its waiting polls with nothing; polls past the limit are answered at once', async (t) => {
  const follows = new Follows();
  const nas = new FakeController([info('db', online(10))]);
  const { id } = await followOne(follows, 'nas', nas);
  const waiting = Array.from({ length: 8 }, () => follows.next(id, 2000));
  t.deepEqual(await follows.next(id, 2000), [], 'a ninth poll waits for nothing');
  t.true(follows.close(id));
  t.deepEqual(await Promise.all(waiting), Array.from({ length: 8 }, () => []));
  follows.dispose();
});

test('a follow shares its credit among the workers it follows, never below 256 KiB each', (t) => {
  t.is(windowFor(1), FOLLOW_CREDIT_BYTES);
  t.is(windowFor(4), FOLLOW_CREDIT_BYTES / 4);
  t.is(windowFor(50), 256 * 1024);
  t.is(windowFor(0), FOLLOW_CREDIT_BYTES);
});
