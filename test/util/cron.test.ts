import test from 'ava';
import { nextCronTime, parseCron, type CronSchedule } from '../../src/util/cron.js';

function schedule(expression: string): CronSchedule {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.schedule;
}

/** Local time, so the tests hold in any time zone. */
const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date => new Date(y, mo - 1, d, h, mi, s);
const next = (expression: string, after: Date): Date | undefined => nextCronTime(schedule(expression), after);

test('parse errors say which field is wrong and why', (t) => {
  t.deepEqual(parseCron('* * *'), { ok: false, error: 'expected 5 or 6 fields, got 3' });
  t.deepEqual(parseCron('61 * * * *'), { ok: false, error: '"61" is out of range in the minute field (0-59)' });
  t.deepEqual(parseCron('0 25 * * *'), { ok: false, error: '"25" is out of range in the hour field (0-23)' });
  t.deepEqual(parseCron('0 0 0 * *'), { ok: false, error: '"0" is out of range in the day of month field (1-31)' });
  t.deepEqual(parseCron('0 0 * foo *'), { ok: false, error: '"foo" is not valid in the month field' });
  t.deepEqual(parseCron('*/0 * * * *'), { ok: false, error: 'bad step "0" in the minute field' });
  t.deepEqual(parseCron('0 10-2 * * *'), { ok: false, error: '"10-2" is out of range in the hour field (0-23)' });
  t.deepEqual(parseCron('60 * * * * *'), { ok: false, error: '"60" is out of range in the second field (0-59)' });
  t.deepEqual(parseCron('@sometimes'), { ok: false, error: 'expected 5 or 6 fields, got 1' });
  t.deepEqual(parseCron(''), { ok: false, error: 'expected 5 or 6 fields, got 0' });
});

test('names, lists, ranges and steps parse', (t) => {
  const s = schedule('0,30 9-17/2 * jan-mar mon-fri');
  t.deepEqual([...s.minutes], [0, 30]);
  t.deepEqual([...s.hours], [9, 11, 13, 15, 17]);
  t.deepEqual([...s.months], [1, 2, 3]);
  t.deepEqual([...s.daysOfWeek], [1, 2, 3, 4, 5]);
  t.deepEqual([...schedule('0 0 * * 7').daysOfWeek], [0]);
});

test('every minute', (t) => {
  t.deepEqual(next('* * * * *', at(2025, 1, 1, 10, 0, 30)), at(2025, 1, 1, 10, 1));
});

test('daily at 03:00 and @daily', (t) => {
  t.deepEqual(next('0 3 * * *', at(2025, 1, 1, 2, 59, 59)), at(2025, 1, 1, 3, 0));
  t.deepEqual(next('0 3 * * *', at(2025, 1, 1, 3, 0)), at(2025, 1, 2, 3, 0));
  t.deepEqual(next('@daily', at(2025, 3, 31, 12)), at(2025, 4, 1, 0, 0));
});

test('six fields: seconds first', (t) => {
  t.deepEqual(next('*/15 * * * * *', at(2025, 1, 1, 10, 0, 16)), at(2025, 1, 1, 10, 0, 30));
  t.deepEqual(next('30 0 12 * * *', at(2025, 1, 1, 12, 0, 30)), at(2025, 1, 2, 12, 0, 30));
});

test('weekdays and month ends', (t) => {
  // 2025-01-04 is a Saturday: the next weekday 09:00 is Monday the 6th.
  t.deepEqual(next('0 9 * * mon-fri', at(2025, 1, 4, 8)), at(2025, 1, 6, 9, 0));
  // The 31st skips months without one.
  t.deepEqual(next('0 0 31 * *', at(2025, 4, 1)), at(2025, 5, 31));
  t.deepEqual(next('@yearly', at(2025, 6, 15)), at(2026, 1, 1));
});

test('day of month OR day of week when both are restricted, as classic cron', (t) => {
  // The 13th, or any Friday: 2025-06-01 is a Sunday, the first Friday is the 6th.
  t.deepEqual(next('0 0 13 * fri', at(2025, 6, 1)), at(2025, 6, 6));
});

test('an impossible date gives undefined', (t) => {
  t.is(next('0 0 30 2 *', at(2025, 1, 1)), undefined);
});
