import test from 'ava';
import { Follows, type FollowItem } from '../../../plugins/federation/follow.js';
import type { NodeOutcome } from '../../../plugins/federation/route.js';
import { FakeController, historyLines, info, online } from '../../tui/fake-controller.js';

/** The master's relay for `logs -f --node`: bounded per viewer, markers for what a slow viewer lost, no gap or line twice. */

const tailsOf = async (...pairs: readonly (readonly [string, FakeController])[]): Promise<readonly NodeOutcome[]> =>
  Promise.all(pairs.map(async ([node, controller]) => ({ node, status: 'ok' as const, value: await controller.logs(undefined, { lines: 5 }) })));

const texts = (items: readonly FollowItem[]): readonly string[] => items.flatMap((item) => (item.kind === 'line' ? [`${item.line.node}:${item.line.line}`] : item.kind === 'dropped' ? [`dropped ${item.count}`] : [item.message]));

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
    const bytes = items.reduce((sum, item) => sum + (item.kind === 'line' ? item.line.line.length : 0), 0);
    t.true(bytes <= 300 * 1024, 'one poll hands out at most about 256 KiB');
    for (const item of items) {
      if (item.kind === 'line') seen++;
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
