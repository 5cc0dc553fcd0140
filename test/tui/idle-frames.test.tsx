import test from 'ava';
import type { MetricsSample } from '../../src/model/events.js';
import { formatAge, liveTexts } from '../../src/tui/format.js';
import { waitFor } from '../helpers/wait.js';
import { renderSized } from './harness.js';
import { FakeController, info, online } from './fake-controller.js';

const MIB = 1024 * 1024;

test('an age shows seconds in its first minute only, then minutes, hours and days', (t) => {
  t.is(formatAge(0), '0s');
  t.is(formatAge(999), '0s');
  t.is(formatAge(59_999), '59s');
  t.is(formatAge(60_000), '1m');
  t.is(formatAge(119_999), '1m');
  t.is(formatAge(3_600_000 + 5 * 60_000 + 59_000), '1h 5m');
  t.is(formatAge(26 * 3_600_000), '1d 2h');
  t.is(formatAge(-5), '0s');
});

test('the live texts change with a drawn figure, not with a sample that changes none', (t) => {
  const now = Date.now();
  const apps = [info('api', online(10, now - 10 * 60_000), { cpu: 0, memory: 40 * MIB }), info('web', online(11, now - 10 * 60_000), { cpu: 0, memory: 50 * MIB })];
  const before = liveTexts(apps, now, now - 10 * 60_000);
  t.is(liveTexts(apps.map((app) => ({ ...app, memory: (app.memory ?? 0) + 10 })), now + 1000, now - 10 * 60_000), before, 'a few bytes more and a second later: the same screen');
  t.not(liveTexts(apps.map((app) => ({ ...app, cpu: 2 })), now, now - 10 * 60_000), before, 'a CPU figure changed');
  t.not(liveTexts(apps, now + 60_000, now - 10 * 60_000), before, 'the uptimes reached the next minute');
  const withColumn = apps.map((app) => ({ ...app, columns: { 'tally/load': 'low' } }));
  t.not(liveTexts(withColumn.map((app) => ({ ...app, columns: { 'tally/load': 'high' } })), now, now - 10 * 60_000), liveTexts(withColumn, now, now - 10 * 60_000), 'a plugin column value changed');
  const backoff = [info('api', { status: 'backoff', retryAt: now + 5000, restarts: 1, code: 1, signal: null })];
  t.not(liveTexts(backoff, now, undefined), liveTexts(backoff, now + 1000, undefined), 'a countdown changes every second');
});

test.serial('idle apps: metrics samples and clock ticks that change no figure draw no frame; a changed figure does', async (t) => {
  const started = Date.now() - 10 * 60_000;
  const apps = Array.from({ length: 50 }, (_, i) => info(`idle${String(i).padStart(2, '0')}`, online(1000 + i, started), { cpu: 0, memory: 40 * MIB }));
  const fake = new FakeController(apps);
  const app = renderSized(t, fake, 120, 40, { startedAt: started, throttleMs: 0 });
  await app.waitFrame((f) => /50 online/.test(f) && /up 10m/.test(f), 'the table');
  const samples = (cpu: number, extraBytes: number): MetricsSample[] => apps.map((a) => ({ id: a.id, cpu, memory: 40 * MIB + extraBytes }));
  // Settle: the specs (`up (no check)`) and the log tail arrived and were drawn, and nothing more is coming.
  await app.waitFrame((f) => /up \(no check\)/.test(f), 'the specs');
  let seen = -1;
  let since = Date.now();
  await waitFor(
    () => {
      const writes = app.writes?.() ?? 0;
      if (writes !== seen) [seen, since] = [writes, Date.now()];
      return Date.now() - since >= 300;
    },
    { timeoutMs: 5000, intervalMs: 20, what: 'the first frames to settle' },
  );
  const writesBefore = app.writes?.() ?? 0;
  // Two clock ticks' worth of samples, each a few bytes apart: no figure on the screen changes.
  const until = Date.now() + 2500;
  let sent = 0;
  await waitFor(
    () => {
      fake.emit({ type: 'metrics', samples: samples(0, ++sent) });
      return Date.now() >= until;
    },
    { timeoutMs: 5000, intervalMs: 100, what: 'the samples to be sent' },
  );
  t.true(sent >= 10);
  t.is(app.writes?.(), writesBefore, 'no frame for samples and ticks that change nothing drawn');
  fake.emit({ type: 'metrics', samples: samples(12.5, 0) });
  await app.waitFrame((f) => /12\.5%/.test(f), 'the changed CPU figure');
});

test.serial('in the apps\' first minute, uptimes tick in place: their rows are drawn again each second, without a frame', async (t) => {
  const started = Date.now() - 10_000;
  const apps = Array.from({ length: 50 }, (_, i) => info(`idle${String(i).padStart(2, '0')}`, online(1000 + i, started), { cpu: 0, memory: 40 * MIB }));
  const app = renderSized(t, new FakeController(apps), 120, 40, { startedAt: started, throttleMs: 0 });
  await app.waitFrame((f) => /50 online/.test(f) && /up \(no check\)/.test(f), 'the table with its specs');
  const uptimes = (frame: string): { readonly header: number; readonly row: number } => ({
    header: Number(/up (\d+)s/.exec(frame)?.[1] ?? Number.NaN),
    row: Number(/idle00 .* (\d+)s +0 up \(no check\)/.exec(frame)?.[1] ?? Number.NaN),
  });
  const writesBefore = app.writes?.() ?? 0;
  const redrawsBefore = app.redraws?.() ?? 0;
  const before = uptimes(app.frame());
  t.false(Number.isNaN(before.header) || Number.isNaN(before.row), app.frame());
  const later = await app.waitFrame((f) => uptimes(f).header >= before.header + 3 && uptimes(f).row >= before.row + 3, 'the uptimes three seconds on');
  t.true(uptimes(later).header < 60, 'still in the first minute');
  t.true((app.redraws?.() ?? 0) - redrawsBefore >= 2, 'the clock drew the live rows');
  // At most the one frame that may have been on its way when the count was taken.
  t.true((app.writes?.() ?? 0) - writesBefore <= 1, 'no frame for a tick');
});
