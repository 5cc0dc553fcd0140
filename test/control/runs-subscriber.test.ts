import test from 'ava';
import { connectControl } from '../../src/control/client.js';
import type { LogRun } from '../../src/model/log-runs.js';
import { unpackRun } from '../../src/model/log-runs.js';
import type { LogLine, SupervisorEvent } from '../../src/model/events.js';
import { waitFor } from '../helpers/wait.js';
import { floodFollower } from './memory-follower.js';
import { GOOD_HELLO, rawServer } from './raw-server.js';

/** A relay (the master's follow) takes log lines as runs: no object per line on its way through. */

const COUNT = 20_000;

test('a subscriber that takes runs gets every line of a flood once, in order, as runs, and no log event', async (t) => {
  const runs: LogRun[] = [];
  const { h, client, lastLine, lines } = await floodFollower(t, [String(COUNT), 'stay'], { runs: (some) => runs.push(...some) });
  await h.supervisor.start('flood');
  await waitFor(() => lastLine(COUNT), { timeoutMs: 30_000, what: `the flood to reach line ${COUNT}` });
  await client.list();
  await waitFor(() => runs.reduce((n, run) => n + run.count, 0) >= COUNT, { what: `${COUNT} lines as runs` });
  t.is(lines.length, 0, 'no log event reached the listener');
  t.true(runs.length < COUNT / 10, `${runs.length} runs for ${COUNT} lines`);
  const unpacked: LogLine[] = [];
  for (const run of runs) t.is(unpackRun(run, unpacked, 'run'), undefined);
  t.deepEqual(unpacked.map((line) => line.line), Array.from({ length: COUNT }, (_, i) => `line ${i + 1}`));
});

test('the in-process supervisor hands runs too, and other events still reach the listener', async (t) => {
  const runs: LogRun[] = [];
  const events: SupervisorEvent['type'][] = [];
  const { h, lastLine } = await floodFollower(t, ['300', 'stay']);
  const stop = h.supervisor.subscribe((event) => events.push(event.type), { logs: 'flood', metrics: false, runs: (some) => runs.push(...some) });
  t.teardown(stop);
  await h.supervisor.start('flood');
  await waitFor(() => lastLine(300), { what: 'the flood to reach line 300' });
  await waitFor(() => runs.reduce((n, run) => n + run.count, 0) >= 300, { what: '300 lines as runs' });
  t.true(events.includes('snapshot') && events.includes('state'));
  t.false(events.includes('log'));
});

test('runs from a server that do not fit are dropped and reported, naming the run; the connection goes on', async (t) => {
  const { socketPath, peer } = await rawServer(t, { hello: GOOD_HELLO });
  const problems: string[] = [];
  const client = await connectControl(socketPath, { heartbeat: false, onProblem: (message) => problems.push(message) });
  t.teardown(() => client.close());
  const runs: LogRun[] = [];
  client.subscribe(() => undefined, { logs: 'all', metrics: false, runs: (some) => runs.push(...some) });
  const server = await peer;
  const subscribe = await server.nextRequest();
  server.reply(subscribe.id, { subscription: subscribe.id });
  const good = { seq: 1, count: 2, id: 'api:0', app: 'api', stream: 'out', time: 1, text: 'a\nb' };
  server.send({ v: 1, type: 'event', subscription: subscribe.id, event: { type: 'log', runs: [{ ...good, count: 3 }] } });
  server.send({ v: 1, type: 'event', subscription: subscribe.id, event: { type: 'log', runs: [good] } });
  // An older server sends lines: the subscriber still gets runs.
  server.send({ v: 1, type: 'event', subscription: subscribe.id, event: { type: 'log', lines: [{ seq: 3, id: 'api:0', app: 'api', stream: 'out', time: 1, line: 'c' }] } });
  await waitFor(() => runs.length >= 2, { what: 'the good runs' });
  t.deepEqual(runs.map((run) => run.text), ['a\nb', 'c']);
  t.is(problems.length, 1);
  t.regex(problems[0] ?? '', /malformed event, dropped: event\.runs\[0\]: expected 3 lines without a skipped count, got 2/);
  const listed = client.list();
  const asked = await server.nextRequest();
  server.reply(asked.id, []);
  t.deepEqual(await listed, [], 'the connection goes on');
});
