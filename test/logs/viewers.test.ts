import path from 'node:path';
import test from 'ava';
import { LogHub, type LogLine } from '../../src/logs/hub.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { fakeStream, flood, logSpec, numberingProblem, readLines } from './helpers.js';

test('tail merges instances in arrival order, filters streams and keeps the ring bounded', async (t) => {
  const hub = new LogHub({ ringSize: 3 });
  const a = hub.open('a:0', 'a', 0, logSpec());
  const b = hub.open('b:0', 'b', 0, logSpec());
  a.note('out', 'a1');
  b.note('out', 'b1');
  a.note('err', 'a2');
  b.note('out', 'b2');
  a.note('out', 'a3\na4');
  const text = (lines: readonly LogLine[]): string[] => lines.map((l) => `${l.id} ${l.stream} ${l.line}`);
  t.deepEqual(text(hub.tail(['a:0', 'b:0'], 4)), ['a:0 err a2', 'b:0 out b2', 'a:0 out a3', 'a:0 out a4']);
  t.deepEqual(text(hub.tail(['a:0'], 10, ['out'])), ['a:0 out a3', 'a:0 out a4']);
  t.deepEqual(text(hub.tail(['a:0'], 10)), ['a:0 err a2', 'a:0 out a3', 'a:0 out a4'], 'ring of 3 lines');
  const seqs = hub.tail(['a:0', 'b:0'], 10).map((l) => l.seq);
  t.deepEqual(seqs, [...seqs].sort((x, y) => x - y));
});

test("an instance's log_buffer sets its ring, and a reload that changes it resizes the ring at once", (t) => {
  const hub = new LogHub({ ringSize: 100 });
  const small = hub.open('s:0', 's', 0, logSpec({ bufferLines: 5 }));
  const other = hub.open('o:0', 'o', 0, logSpec());
  for (let i = 0; i < 20; i++) {
    small.note('out', `s${i}`);
    other.note('out', `o${i}`);
  }
  t.deepEqual(hub.tail(['s:0'], 100).map((l) => l.line), ['s15', 's16', 's17', 's18', 's19']);
  t.is(hub.tail(['o:0'], 100).length, 20, 'the hub default when the spec has none');
  hub.open('s:0', 's', 0, logSpec({ bufferLines: 2 }));
  t.deepEqual(hub.tail(['s:0'], 100).map((l) => l.line), ['s18', 's19']);
});

test('two followers at once; a slow one gets the skip marker, the fast one and the file get every line', async (t) => {
  const file = path.join(tempDir(), 'flood-out.log');
  const hub = new LogHub();
  const log = hub.open('flood:0', 'flood', 0, logSpec({ outFile: file }));
  const fast: LogLine[] = [];
  const slow: LogLine[] = [];
  let release: () => void = () => undefined;
  const blocked = new Promise<void>((resolve) => (release = resolve));
  hub.follow(['flood:0'], (lines) => void fast.push(...lines), { maxQueue: Number.MAX_SAFE_INTEGER });
  hub.follow(undefined, (lines) => {
    slow.push(...lines);
    // The first batch keeps this listener busy until the flood is over.
    return slow.length === lines.length ? blocked : undefined;
  }, { maxQueue: 1000 });
  const other = hub.open('other:0', 'other', 0, logSpec());
  const child = flood(50_000, 'block', 16, 4096);
  if (!child.stdout) throw new Error('no stdout');
  log.attach(child.stdout, 'out');
  await log.drained();
  other.note('out', 'from another app');
  await waitFor(() => fast.length === 50_000, { what: 'the fast follower' });
  release();
  await waitFor(() => slow.some((l) => l.line === 'from another app'), { what: 'the slow follower' });
  t.is(numberingProblem(fast.map((l) => l.line), 50_000), undefined);
  t.is(numberingProblem(readLines(file), 50_000), undefined);
  const markers = slow.filter((l) => l.skipped !== undefined);
  t.true(markers.length > 0);
  for (const marker of markers) t.regex(marker.line, /^\[… \d+ lines skipped\]$/);
  const delivered = slow.filter((l) => l.skipped === undefined && l.id === 'flood:0').length;
  const skipped = markers.reduce((sum, marker) => sum + (marker.skipped ?? 0), 0);
  t.is(delivered + skipped, 50_000, 'delivered + skipped = every line');
  t.true(slow.length < 50_000);
  await hub.close();
});

test('unsubscribing stops delivery', async (t) => {
  const hub = new LogHub();
  const log = hub.open('u:0', 'u', 0, logSpec());
  const seen: string[] = [];
  const stop = hub.follow(['u:0'], (lines) => void seen.push(...lines.map((l) => l.line)));
  log.note('out', 'one');
  await waitFor(() => seen.length === 1);
  stop();
  log.note('out', 'two');
  const stream = fakeStream();
  log.attach(stream, 'out');
  stream.end('three\n');
  await log.drained();
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(seen, ['one']);
});
