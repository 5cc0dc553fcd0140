import test, { type ExecutionContext } from 'ava';
import { ControlClient } from '../../src/control/client.js';
import { Connection } from '../../src/control/connection.js';
import { memoryPortPair } from '../../src/control/memory-port.js';
import type { LogLine } from '../../src/model/events.js';
import { FakeController, info, online } from '../tui/fake-controller.js';
import { LogCredit, creditWeight } from '../../src/model/log-credit.js';
import { waitFor } from '../helpers/wait.js';
import { floodFollower } from './memory-follower.js';

const COUNT = 20_000;
const INITIAL = 16 * 1024;

async function follow(t: ExecutionContext, credit: LogCredit | undefined) {
  const { h, client, lines, lastLine, shown, counted } = await floodFollower(t, [String(COUNT), 'stay'], credit ? { credit } : {});
  await h.supervisor.start('flood');
  await waitFor(() => lastLine(COUNT), { timeoutMs: 30_000, what: `the flood to reach line ${COUNT}` });
  // What the supervisor read is handed to its subscribers within the same turn; one round trip later every
  // event it sent has arrived.
  await client.list();
  return { lines, shown, counted };
}

test('a subscriber with credit is sent lines only up to what it granted; the rest is counted once it grants more, none lost unaccounted', async (t) => {
  const credit = new LogCredit(INITIAL);
  const { shown, counted, lines } = await follow(t, credit);
  const sent = shown().reduce((sum, line) => sum + creditWeight(line.line), 0);
  t.true(sent <= INITIAL, `${sent} bytes of lines were sent against ${INITIAL} of credit`);
  t.true(shown().length > 0, 'the credit was used');
  t.is(counted(), 0, 'the marker waits for credit');
  // Shown in order, with no gap: lines 1…n.
  t.deepEqual(shown().map((line) => line.line), Array.from({ length: shown().length }, (_, i) => `line ${i + 1}`));
  credit.grant(64 * 1024);
  const marker = await waitFor(() => lines.find((line) => line.skipped !== undefined), { what: 'the skipped marker after the grant' });
  t.regex(marker.line, /^\[… \d+ lines skipped: this client did not read fast enough\]$/);
  t.is(shown().length + counted(), COUNT, 'every line either arrived or was counted');
});

test('without credit every line of the same flood is sent', async (t) => {
  const { shown, counted } = await follow(t, undefined);
  t.is(shown().length, COUNT);
  t.is(counted(), 0);
});

test('grants go one at a time: those made while one is in flight are summed into the next', async (t) => {
  const { GrantSender } = await import('../../src/control/grants.js');
  const sent: number[] = [];
  let release: () => void = () => undefined;
  const grants = new GrantSender((bytes) => {
    sent.push(bytes);
    return new Promise<void>((resolve) => (release = resolve));
  });
  grants.add(8 * 1024);
  t.deepEqual(sent, [], 'a small grant waits for more');
  grants.add(8 * 1024);
  t.deepEqual(sent, [16 * 1024]);
  for (let i = 0; i < 10; i++) grants.add(20 * 1024);
  t.deepEqual(sent, [16 * 1024], 'one grant in flight at a time');
  release();
  await waitFor(() => sent.length === 2, { what: 'the summed grant' });
  t.deepEqual(sent, [16 * 1024, 200 * 1024]);
  grants.stop();
  release();
  grants.add(100 * 1024);
  t.is(sent.length, 2, 'a stopped sender sends nothing');
});

test('a bad credit is refused where it is made, and a grant or subscribe with a bad amount is an error naming the field', async (t) => {
  t.throws(() => new LogCredit(0), { message: /initial bytes must be an integer from 1/ });
  t.throws(() => new LogCredit(Number.NaN), { message: /initial bytes/ });
  const { decode } = await import('../../src/control/request-decode.js');
  const grant = decode(JSON.stringify({ v: 1, id: 3, type: 'grant', subscription: 1, bytes: -5 }));
  t.false(grant.ok);
  t.regex(!grant.ok ? grant.error.message : '', /grant: bytes: expected an integer from 1 to \d+ \(bytes\)/);
  const subscribe = decode(JSON.stringify({ v: 1, id: 4, type: 'subscribe', logs: 'all', credit: 'lots' }));
  t.regex(!subscribe.ok ? subscribe.error.message : '', /subscribe: credit: expected an integer from 1/);
});

test('an instance whose lines went without credit shows none of its later lines before the marker that counts the gap', async (t) => {
  const fake = new FakeController([info('api', online(10))]);
  const [clientSide, serverSide] = memoryPortPair();
  new Connection(serverSide, { controller: fake, identity: { pid: process.pid, project: 'memory', version: '0.0.0' }, plugins: undefined });
  const client = new ControlClient(clientSide);
  t.teardown(() => client.close());
  const short = 'ok';
  // Credit for one short line and a little more: a long line goes unpaid, and a short one after it could be paid.
  const credit = new LogCredit(creditWeight(short) + 10);
  const lines: LogLine[] = [];
  let snapshot = false;
  client.subscribe((event) => {
    if (event.type === 'snapshot') snapshot = true;
    if (event.type === 'log') lines.push(...event.lines);
  }, { logs: 'all', metrics: false, credit });
  await waitFor(() => snapshot, { what: 'the snapshot' });
  fake.log('api:0', 'x'.repeat(500));
  fake.log('api:0', short);
  await client.list();
  t.deepEqual(lines, [], 'the short line waits behind the gap of the long one');
  credit.grant(64 * 1024);
  await waitFor(() => lines.length > 0, { what: 'the marker after the grant' });
  t.is(lines[0]?.skipped, 2, 'the marker counts both lines');
});
