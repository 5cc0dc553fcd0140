import test from 'ava';
import { Ring } from '../../src/logs/ring.js';
import type { Segment } from '../../src/logs/segment.js';

/** Feeds `lines` numbered lines in chunks of the given sizes (cycled) through one reused buffer. */
function feed(ring: Ring, lines: number, chunkLines: readonly number[], width = 20): void {
  const shared = Buffer.alloc(1024 * 1024);
  let next = 0;
  for (let chunk = 0; next < lines; chunk++) {
    const count = Math.min(chunkLines[chunk % chunkLines.length] ?? 1, lines - next);
    let length = 0;
    for (let i = 0; i < count; i++) length += shared.write(`${String(next + i).padStart(8, '0')} ${'x'.repeat(width)}\n`, length);
    const segment: Segment = { seq: next, count, id: 'a:0', app: 'a', stream: 'out', time: 0, data: shared.subarray(0, length) };
    ring.add(segment);
    shared.fill('#');
    next += count;
  }
}

/** The numbers of the lines a tail returns, checked to be a run that ends with the last line fed. */
function run(ring: Ring, total: number): number[] {
  const numbers = ring.tail(Number.MAX_SAFE_INTEGER, 1000).map((l) => Number(l.line.slice(0, 8)));
  return numbers.every((n, i) => n === total - numbers.length + i) ? numbers : [-1];
}

test('when the bytes allow, the ring keeps its line budget (and less than one chunk more), newest last, across many wraps of its arena', (t) => {
  const ring = new Ring(2000, 4 * 1024 * 1024);
  feed(ring, 100_000, [1, 7, 300, 2, 64, 999]);
  const kept = run(ring, 100_000);
  t.true(kept.length >= 2000 && kept.length <= 2000 + 999, `kept ${kept.length}`);
  t.deepEqual(ring.tail(3, 1000).map((l) => l.seq), [99_997, 99_998, 99_999]);
});

test('the byte budget bounds the ring when lines are long, and a chunk larger than the budget keeps its last lines', (t) => {
  const ring = new Ring(1_000_000, 64 * 1024);
  feed(ring, 20_000, [3, 50, 1], 200);
  const kept = run(ring, 20_000);
  const bytes = kept.length * 210;
  t.true(bytes <= 64 * 1024 && bytes >= 16 * 1024, `kept ${kept.length} lines, ${bytes} bytes`);
  feed(ring, 2_000, [2_000], 200);
  const last = ring.tail(Number.MAX_SAFE_INTEGER, 1000);
  t.true(last.length > 0 && last.length * 210 <= 64 * 1024);
  t.is(last.at(-1)?.seq, 1_999);
  t.is(Number(last[0]?.line.slice(0, 8)), last[0]?.seq ?? -1, 'seq numbers follow the lines that were dropped');
});

test('lines of two streams stay apart in a tail', (t) => {
  const ring = new Ring(10, 1024);
  const segment = (seq: number, stream: 'out' | 'err', text: string): Segment => ({ seq, count: 1, id: 'a:0', app: 'a', stream, time: 0, data: Buffer.from(`${text}\n`) });
  ring.add(segment(0, 'out', 'o1'));
  ring.add(segment(1, 'err', 'e1'));
  ring.add(segment(2, 'out', 'o2'));
  t.deepEqual(ring.tail(10, 100, ['out']).map((l) => l.line), ['o1', 'o2']);
  t.deepEqual(ring.tail(2, 100).map((l) => l.line), ['e1', 'o2']);
});

test('the arena grows rather than push out a line the line budget still keeps', (t) => {
  const ring = new Ring(3, 1024 * 1024);
  const line = (seq: number, bytes: number): Segment => ({ seq, count: 1, id: 'a:0', app: 'a', stream: 'out', time: 0, data: Buffer.from(`${String(seq)}${'x'.repeat(bytes - 2)}\n`) });
  for (const [seq, bytes] of [[0, 8000], [1, 6000], [2, 2000], [3, 9000]] as const) ring.add(line(seq, bytes));
  t.deepEqual(ring.tail(10, 100_000).map((l) => l.seq), [1, 2, 3]);
});

test('a chunk over the byte budget replaces everything older, so a tail never skips lines; a line over the whole budget is not kept', (t) => {
  const ring = new Ring(100, 1000);
  const chunk = (seq: number, lines: readonly string[]): Segment => ({ seq, count: lines.length, id: 'a:0', app: 'a', stream: 'out', time: 0, data: Buffer.from(lines.map((l) => `${l}\n`).join('')) });
  ring.add(chunk(0, ['old1', 'old2', 'old3']));
  ring.add(chunk(3, ['x'.repeat(990), 'new1', 'new2', 'new3']));
  t.deepEqual(ring.tail(100, 2000).map((l) => [l.seq, l.line]), [[4, 'new1'], [5, 'new2'], [6, 'new3']]);
  ring.add(chunk(7, ['y'.repeat(1200)]));
  ring.add(chunk(8, ['last']));
  t.deepEqual(ring.tail(100, 2000).map((l) => [l.seq, l.line]), [[8, 'last']]);
});
