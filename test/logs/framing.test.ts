import test from 'ava';
import { CUT_MARKER, LineFramer } from '../../src/logs/framing.js';

function frame(chunks: readonly (Buffer | string)[], max?: number): string[] {
  const lines: string[] = [];
  const framer = new LineFramer((line) => lines.push(line), max);
  for (const chunk of chunks) framer.push(chunk);
  framer.flush();
  return lines;
}

test('lines split across chunks and CRLF', (t) => {
  t.deepEqual(frame(['a\r\nb', 'c\n', 'd']), ['a', 'bc', 'd']);
});

test('UTF-8 split across chunks stays intact', (t) => {
  const bytes = Buffer.from('héllo ✓\n');
  t.deepEqual(frame([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)]), ['héllo ✓']);
});

test('carriage-return progress keeps the last state of the line', (t) => {
  t.deepEqual(frame(['10%\r50%\r100%\n']), ['100%']);
});

test('over-long lines are cut with a visible marker and memory stays bounded', (t) => {
  t.deepEqual(frame(['x'.repeat(50), 'y'.repeat(50), '\nnext\n'], 20), ['x'.repeat(20) + CUT_MARKER, 'next']);
});

test('invalid UTF-8 stays readable', (t) => {
  t.deepEqual(frame([Buffer.from([0x61, 0xff, 0x62, 0x0a])]), ['a\uFFFDb']);
});

test('no output gives no line; an empty line is kept', (t) => {
  t.deepEqual(frame([]), []);
  t.deepEqual(frame(['\n']), ['']);
});
