import test from 'ava';
import type { InstanceInfo } from '../../src/model/events.js';
import { KEY, renderSized } from './harness.js';
import { FakeController, historyLines, info, online } from './fake-controller.js';

// Serial: several Ink apps rendering at once in one worker slow each other down past the deadlines.

/** Sixty instances: a few in trouble, one with a long CJK name, two of one app. */
function sixty(): FakeController {
  const instances: InstanceInfo[] = [];
  for (let i = 0; i < 56; i++) instances.push(info(`svc-${String(i).padStart(2, '0')}`, online(5000 + i, Date.now() - 60_000, i % 7), { cpu: i % 13, memory: (i % 11) * 1024 * 1024 }));
  instances.push(info('crashy', { status: 'errored', reason: 'too many unstable restarts (16)', restarts: 16, since: Date.now() }));
  instances.push(info('サービス-とても長い名前のアプリ', online(6001)));
  instances.push(info('ticker', online(6002), { index: 0 }), info('ticker', online(6003), { index: 1 }));
  return new FakeController(instances, historyLines('svc-00:0', 50));
}

const lines = (frame: string): string[] => frame.split('\n');
const selectedRow = (frame: string): string => lines(frame).find((line) => line.startsWith('›')) ?? '';

test.serial('60 apps: the position is shown; PgDn / PgUp / G / g move the list when it has the focus', async (t) => {
  const app = renderSized(t, sixty(), 140, 40);
  const first = await app.waitFrame((f) => /1–15 of 60/.test(f), 'the position');
  t.regex(selectedRow(first), /svc-00/);
  app.press(KEY.pageDown);
  const paged = await app.waitFrame((f) => /svc-14/.test(selectedRow(f)), 'a page down');
  t.regex(paged, /8–22 of 60/);
  app.press('G');
  const last = await app.waitFrame((f) => /ticker +1/.test(selectedRow(f)), 'the last row');
  t.regex(last, /46–60 of 60/);
  app.press(KEY.pageUp);
  await app.waitFrame((f) => /svc-45/.test(selectedRow(f)), 'a page up');
  app.press('g');
  await app.waitFrame((f) => /svc-00/.test(selectedRow(f)) && /1–15 of 60/.test(f), 'the first row');
  t.regex(app.frame(), /LOGS all apps · follow/, 'the log pane did not move');
});

test.serial('f filters the table by name; esc clears it; o sorts by status, cpu, mem, restarts', async (t) => {
  const app = renderSized(t, sixty(), 140, 40);
  await app.waitFrame((f) => /1–15 of 60/.test(f), 'the table');
  app.press('f', 't', 'i', 'c', 'k');
  const filtered = await app.waitFrame((f) => /1–2 of 2 \(60 in all\) · filter: tick/.test(f), 'the filtered table');
  t.notRegex(lines(filtered).slice(0, 4).join('\n'), /svc-00/);
  app.press(KEY.enter, KEY.escape);
  await app.waitFrame((f) => /1–15 of 60$/m.test(f), 'the filter cleared');
  app.press('o');
  const byStatus = await app.waitFrame((f) => /sort: status/.test(f), 'sorted by status');
  t.regex(lines(byStatus)[2] ?? '', /crashy +0 errored/, 'problems first');
  app.press('o');
  const byCpu = await app.waitFrame((f) => /sort: cpu/.test(f), 'sorted by cpu');
  t.regex(lines(byCpu)[2] ?? '', /svc-12 .* 12\.0%/);
  app.press('o', 'o');
  const byRestarts = await app.waitFrame((f) => /sort: restarts/.test(f), 'sorted by restarts');
  t.regex(lines(byRestarts)[2] ?? '', /crashy .* 16 /);
});

test.serial('mouse: a click selects the row under it, the wheel scrolls the list or the logs under the pointer', async (t) => {
  const app = renderSized(t, sixty(), 140, 40);
  await app.waitFrame((f) => /1–15 of 60/.test(f) && /line 50/.test(f), 'the table and the logs');
  // Rows are 1-based: the header is row 1, the table's title row 2, its first row 3.
  app.press('\x1b[<0;10;6M', '\x1b[<0;10;6m');
  await app.waitFrame((f) => /svc-03/.test(selectedRow(f)), 'the clicked row selected');
  app.press('\x1b[<65;10;8M');
  await app.waitFrame((f) => /svc-06/.test(selectedRow(f)), 'the wheel moved the selection down by 3');
  app.press('\x1b[<64;10;30M');
  await app.waitFrame((f) => /LOGS all apps · paused/.test(f), 'the wheel over the logs scrolled them');
  app.press('m');
  await app.waitFrame((f) => /mouse off/.test(f), 'mouse off');
  t.true(app.raw.includes('\x1b[?1000l\x1b[?1006l'), 'reporting turned off in the terminal');
});

test.serial('i shows the selected instance in full; env values stay hidden', async (t) => {
  const controller = sixty();
  const app = renderSized(t, controller, 140, 40);
  await app.waitFrame((f) => /1–15 of 60/.test(f), 'the table');
  controller.setState(info('svc-00', { status: 'backoff', retryAt: Date.now() + 150, restarts: 1, code: 1, signal: null }));
  await app.waitFrame((f) => /svc-00 .*backoff/.test(f), 'svc-00 in backoff');
  app.press('i');
  const detail = await app.waitFrame((f) => /DETAIL svc-00:0/.test(f) && /command/.test(f), 'the detail panel');
  t.regex(detail, /command +node svc-00\.js/);
  t.regex(detail, /cwd +\/srv\/svc-00/);
  t.regex(detail, /env +2 keys \(values hidden\): PORT, SECRET_TOKEN/);
  t.notRegex(detail, /hunter2/);
  t.regex(detail, /readiness +no check/);
  t.regex(detail, /log files +out \/srv\/\.node-unit\/logs\/svc-00-out\.log/);
  t.regex(detail, /exited with code 1; restarting in \d+ ms/);
  app.press('x');
  await app.waitFrame((f) => /LOGS all apps/.test(f), 'closed');
});

test.serial('lifecycle lines appear in the log pane, dimmed, under the instance name', async (t) => {
  const controller = sixty();
  const app = renderSized(t, controller, 140, 40);
  await app.waitFrame((f) => /line 50/.test(f), 'the logs');
  controller.setState(info('svc-02', { status: 'backoff', retryAt: Date.now() + 150, restarts: 1, code: 1, signal: null }));
  controller.setState(info('svc-02', online(7002, Date.now(), 1)));
  const frame = await app.waitFrame((f) => /svc-02 +│ · online \(pid 7002\)/.test(f), 'both lines');
  t.regex(frame, /svc-02 +│ · exited with code 1; restarting in 1\d\d ms/);
});

test.serial('pause holds still under a flood: the paused pane is a snapshot, not the sliding ring', async (t) => {
  const controller = sixty();
  const app = renderSized(t, controller, 140, 40);
  await app.waitFrame((f) => /line 50/.test(f), 'the logs');
  app.press('p');
  const paused = await app.waitFrame((f) => /paused/.test(f), 'paused');
  const pane = (frame: string): string => lines(frame).slice(lines(frame).findIndex((l) => l.startsWith('LOGS')) + 1, -1).join('\n');
  // Far more than the merged ring holds: the live view has slid past every line shown.
  for (let batch = 0; batch < 12; batch++) controller.log('svc-01:0', ...Array.from({ length: 500 }, (_, i) => `flood ${batch * 500 + i}`));
  await app.waitFrame((f) => /paused/.test(f) && pane(f) === pane(paused), 'the same rows after the flood');
  app.press('p');
  await app.waitFrame((f) => /flood 5999/.test(f), 'following again shows the newest line');
  t.pass();
});

test.serial('status messages expire', async (t) => {
  const app = renderSized(t, sixty(), 140, 40);
  await app.waitFrame((f) => /1–15 of 60/.test(f), 'the table');
  app.press('o');
  await app.waitFrame((f) => /sorted by status/.test(f), 'the message');
  await app.waitFrame((f) => !/sorted by status/.test(f), 'the message gone, with no key pressed');
  t.pass();
});

test.serial('80 columns keep the # column; 60 columns keep the errored count in the header', async (t) => {
  const app = renderSized(t, sixty(), 80, 24);
  const at80 = await app.waitFrame((f) => /of 60/.test(f), 'the table at 80');
  t.regex(at80, /NAME +# STATUS/);
  t.true(lines(at80).every((line) => line.length <= 80));
  app.resize?.(60, 20);
  const at60 = await app.waitFrame((f) => lines(f).every((line) => line.length <= 60), 'the table at 60');
  t.regex(lines(at60)[0] ?? '', /1 errored/);
  t.regex(at60, /NAME +# STATUS/);
});

test.serial('the help fits 80×24 whole, and 80×14 cut cleanly with what is left said', async (t) => {
  const app = renderSized(t, sixty(), 80, 24);
  await app.waitFrame((f) => /of 60/.test(f), 'the table');
  app.press('?');
  const help = await app.waitFrame((f) => /Keys/.test(f), 'the help');
  t.regex(help, /q  ctrl-c/);
  t.true(lines(help).length <= 23 && lines(help).every((line) => line.length <= 80));
  app.resize?.(80, 14);
  const short = await app.waitFrame((f) => /more: a taller terminal shows them/.test(f), 'the short help');
  t.true(lines(short).length <= 13, short);
  t.regex(short, /╰─+╯/, 'the box is closed');
});
