import test from 'ava';
import { formatBytes, formatDuration, parseByteSize, parseDuration } from '../../src/util/units.js';

test('durations: bare numbers are milliseconds, units ms s m h d', (t) => {
  t.is(parseDuration('250'), 250);
  t.is(parseDuration('500ms'), 500);
  t.is(parseDuration('10s'), 10_000);
  t.is(parseDuration('1.5m'), 90_000);
  t.is(parseDuration('1h'), 3_600_000);
  t.is(parseDuration('2d'), 172_800_000);
  t.is(parseDuration(' 10 S '), 10_000);
});

test('durations: junk is undefined', (t) => {
  for (const text of ['', 'soon', '-1s', '10 seconds', '1m30s', 's', '1e3']) t.is(parseDuration(text), undefined, text);
});

test('sizes: K M G T, with or without B, either case', (t) => {
  t.is(parseByteSize('1024'), 1024);
  t.is(parseByteSize('512K'), 512 * 1024);
  t.is(parseByteSize('150M'), 150 * 1024 ** 2);
  t.is(parseByteSize('150m'), 150 * 1024 ** 2);
  t.is(parseByteSize('1G'), 1024 ** 3);
  t.is(parseByteSize('1GB'), 1024 ** 3);
  t.is(parseByteSize('1.5gb'), 1.5 * 1024 ** 3);
  t.is(parseByteSize('2MiB'), 2 * 1024 ** 2);
  t.is(parseByteSize('100B'), 100);
});

test('sizes: junk is undefined', (t) => {
  for (const text of ['', 'lots', '1X', 'M', '-1G', '1 G B']) t.is(parseByteSize(text), undefined, text);
});

test('formatBytes and formatDuration read well', (t) => {
  t.is(formatBytes(512), '512 B');
  t.is(formatBytes(1536), '1.5 KiB');
  t.is(formatBytes(150 * 1024 ** 2), '150 MiB');
  t.is(formatBytes(1024 ** 3), '1.0 GiB');
  t.is(formatDuration(999), '999ms');
  t.is(formatDuration(59_000), '59s');
  t.is(formatDuration(90_000), '1m 30s');
  t.is(formatDuration(3_600_000), '1h');
  t.is(formatDuration(90_000_000), '1d 1h');
});
