import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import test from 'ava';
import { LogHub, type LogLine } from '../../src/logs/hub.js';
import type { LentChunks } from '../../src/logs/reader.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { logSpec } from './helpers.js';

/** A source that lends every chunk from one buffer and scribbles over it after each call, as a reused read buffer would. */
function lentSource(): LentChunks & { send(text: string): void; end(): void } {
  const stream = new PassThrough();
  const shared = Buffer.alloc(64 * 1024);
  let take: (chunk: Buffer) => void = () => undefined;
  return {
    kind: 'lent',
    stream,
    lend: (taker) => (take = taker),
    send(text) {
      const length = shared.write(text);
      take(shared.subarray(0, length));
      shared.fill('#');
    },
    end() {
      stream.end();
      stream.resume();
    },
  };
}

test('lent chunks: the file, the ring and a follower keep their own copies, so reusing the read buffer changes nothing', async (t) => {
  const file = path.join(tempDir(), 'lent-out.log');
  const hub = new LogHub();
  const log = hub.open('lent:0', 'lent', 0, logSpec({ outFile: file, timestamp: true, dateFormat: 'HH' }));
  const followed: LogLine[] = [];
  hub.follow(['lent:0'], (lines) => void followed.push(...lines));
  const source = lentSource();
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
  await waitFor(() => followed.length === expected.length, { what: 'the follower to get every line' });
  t.deepEqual(
    followed.map((l) => l.line),
    expected,
  );
  await hub.close();
});
