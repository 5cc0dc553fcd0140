import test from 'ava';
import { renderSized } from './harness.js';
import { demoController } from './demo.js';
import { FakeController, info, online } from './fake-controller.js';

const ready = (frame: string): boolean => frame.includes('queue emails is slow');
const lines = (frame: string): string[] => frame.split('\n');

test.serial('80×24: every part is there, within 23 rows and 80 columns', async (t) => {
  const app = renderSized(t, demoController(), 80, 24);
  const frame = await app.waitFrame((f) => ready(f) && /ready ✓/.test(f), 'the first frame, with the readiness checks known');
  t.true(lines(frame).length <= 23, `${lines(frame).length} rows`);
  t.true(lines(frame).every((line) => line.length <= 80), 'no row wider than 80');
  t.regex(lines(frame)[0] ?? '', /^demo · 1 errored 1 backoff 1 exited 1 pending 4 online · CPU 14\.3% · MEM 189 MiB$/);
  t.regex(frame, /NAME +# STATUS +CPU +MEM +UPTIME +↺ INFO +1–8 of 8$/m);
  t.notRegex(frame, /PID/);
  t.regex(frame, /› api +0 online +1\.5% +48\.0 MiB +1h +0 ready: http 200/);
  t.regex(frame, /ticker +1 online/);
  t.regex(frame, /flaky +0 backoff +3 exit 1; retry in \d+s/);
  t.regex(frame, /mailer +0 pending +0 waiting for api to be ready/);
  t.regex(frame, /broken +0 errored +5 too many unstable restarts…/);
  t.regex(frame, /worker +0 online .* 2 ready ✓ tcp/, 'a passed readiness check');
  t.regex(frame, /ticker +0 online .* 0 up \(no check\)/, 'no readiness check');
  t.regex(frame, /LOGS all apps · follow/);
  t.regex(frame, /worker +│ warn: queue emails is slow/);
  t.regex(lines(frame).at(-1) ?? '', /\? help +q quit/);
});

test.serial('200×50: all columns, the whole table, a tall log pane', async (t) => {
  const app = renderSized(t, demoController(), 200, 50);
  const frame = await app.waitFrame(ready, 'the first frame');
  t.true(lines(frame).length <= 49);
  t.regex(frame, /NAME +# STATUS +PID +CPU +MEM +UPTIME +↺ INFO/);
  t.regex(frame, /› api +0 online +4101 +1\.5% +48\.0 MiB +1h +0 ready: http 200/);
  t.regex(frame, /ticker +1 online +4106/);
  t.regex(frame, /broken +0 errored/);
  const logRows = lines(frame).slice(lines(frame).findIndex((l) => l.startsWith('LOGS')) + 1, -1).filter((l) => l.includes('│'));
  t.true(logRows.length >= 35, `${logRows.length} log rows`);
  t.regex(lines(frame).at(-1) ?? '', /↑↓ select +⏎ app logs +a one app +r restart +s stop\/start +f filter +o sort +i detail +\/ search +p pause +w wrap +c copy +\? help +q quit/);
});

test.serial('resizes live', async (t) => {
  const app = renderSized(t, demoController(), 200, 50);
  await app.waitFrame((f) => ready(f) && /PID/.test(f), 'wide');
  app.resize?.(72, 20);
  const narrow = await app.waitFrame((f) => !/PID/.test(f), 'narrow');
  t.true(lines(narrow).length <= 19);
  t.true(lines(narrow).every((line) => line.length <= 72));
  t.regex(narrow, /NAME +# STATUS +CPU +MEM +↺ INFO/);
  app.resize?.(44, 16);
  const tiny = await app.waitFrame((f) => !/MEM/.test(f), 'tiny');
  t.true(lines(tiny).every((line) => line.length <= 44), tiny);
  t.regex(tiny, /NAME +# STATUS +↺ INFO/, '# and ↺ stay longest');
  t.regex(tiny, /› api +0 online +0 ready/);
  app.resize?.(30, 16);
  await app.waitFrame((f) => !/↺/.test(f) && lines(f).every((line) => line.length <= 30), 'tinier');
  app.press('f', 't', 'i', 'c', 'k', '\r');
  const filtered = await app.waitFrame((f) => /1–2 of 2 \(8 in all\)/.test(f), 'the filtered table');
  t.regex(filtered, /ticker:1 +online/, 'with # gone, NAME tells the instances apart');
});

test.serial('many instances: the table scrolls to keep the selection visible, the logs keep their rows', async (t) => {
  const instances = Array.from({ length: 50 }, (_, i) => info(`app${String(i).padStart(2, '0')}`, online(5000 + i)));
  const app = renderSized(t, new FakeController(instances), 120, 40);
  const first = await app.waitFrame((f) => /app00/.test(f), 'the table');
  t.notRegex(first, /app49/);
  t.true(lines(first).length <= 39);
  app.press('G');
  for (let i = 0; i < 49; i++) app.press('j');
  const last = await app.waitFrame((f) => /› app49/.test(f), 'the last app selected');
  t.notRegex(last, /app00/);
  t.regex(last, /LOGS/);
});

test.serial('an app added from the command line is marked * in NAME, as ls marks it', async (t) => {
  const controller = new FakeController([info('api', online(4101)), { ...info('worker', online(4102)), adhoc: true }]);
  const app = renderSized(t, controller, 140, 30);
  const frame = await app.waitFrame((f) => /worker/.test(f), 'the table');
  t.regex(frame, /worker \* +0 online/);
  t.regex(frame, /api +0 online/);
  t.notRegex(frame, /api \*/);
});
