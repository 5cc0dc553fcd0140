import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { LogHub, type LogLine } from '../../src/logs/hub.js';
import { countLines } from '../../src/logs/bytes.js';
import type { LentChunks } from '../../src/logs/reader.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { logSpec } from './helpers.js';

/**
 * A source that lends every chunk from one buffer and scribbles over it after each call, as a reused read
 * buffer would; with `scan`, it also passes each chunk's newline count and last newline, as the native reader does.
 */
function lentSource(scan: boolean): LentChunks & { send(text: string): void; end(): void } {
  const shared = Buffer.alloc(64 * 1024);
  let take: (chunk: Buffer, newlines?: number, lastNewline?: number) => void = () => undefined;
  let ended: () => void = () => undefined;
  return {
    kind: 'lent',
    pause: () => undefined,
    resume: () => undefined,
    lend: (taker, end) => {
      take = taker;
      ended = end;
    },
    send(text) {
      const length = shared.write(text);
      const chunk = shared.subarray(0, length);
      if (scan) take(chunk, countLines(chunk), chunk.lastIndexOf(0x0a));
      else take(chunk);
      shared.fill('#');
    },
    end: () => ended(),
  };
}

const reuse = test.macro(async (t, scan: boolean, timestamp: boolean) => {
  const file = path.join(tempDir(), 'lent-out.log');
  const hub = new LogHub();
  const log = hub.open('lent:0', 'lent', 0, logSpec({ outFile: file, timestamp, dateFormat: 'HH' }));
  const followed: LogLine[] = [];
  hub.follow(['lent:0'], (lines) => void followed.push(...lines));
  const source = lentSource(scan);
  log.attach(source, 'out');
  const expected: string[] = [];
  let partial = '';
  for (let i = 0; i < 500; i++) {
    const line = `line ${i} ${'x'.repeat(i % 97)}`;
    expected.push(line);
    // Lines straddle chunks: a chunk ends in the middle of the next line.
    const text = `${partial}${line}\n`;
    const cut = Math.max(0, text.length - (i % 5));
    source.send(text.slice(0, cut));
    partial = text.slice(cut);
  }
  source.send(partial);
  source.end();
  await log.drained();
  const written = fs.readFileSync(file, 'utf8').split('\n').slice(0, -1);
  t.deepEqual(
    written.map((line) => line.replace(/^\d\d: /, '')),
    expected,
  );
  t.deepEqual(
    hub.tail(['lent:0'], 1000).map((l) => l.line),
    expected,
  );
  const last = hub.tail(['lent:0'], 3);
  t.deepEqual(
    last.map((l) => [l.seq, l.line]),
    expected.slice(-3).map((line, i) => [expected.length - 3 + i, line]),
    'each line has its own seq, so the counts were right',
  );
  await waitFor(() => followed.length === expected.length, { what: 'the follower to get every line' });
  t.deepEqual(
    followed.map((l) => l.line),
    expected,
  );
  await hub.close();
});

test('lent chunks: the file (through its queue, with timestamps), the ring and a follower keep their own copies, so reusing the read buffer changes nothing', reuse, false, true);
test('lent chunks: written straight to the file, the ring and a follower keep their own copies', reuse, false, false);
test('lent chunks with the native reader’s newline counts: every line counted once, wherever chunks cut them', reuse, true, false);
