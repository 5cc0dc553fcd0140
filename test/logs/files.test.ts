import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { LogHub } from '../../src/logs/hub.js';
import { WRAP_MARKER } from '../../src/logs/reader.js';
import { tempDir } from '../helpers/tmp.js';
import { fakeStream, logSpec } from './helpers.js';

async function feed(chunks: readonly (string | Buffer)[], overrides: Parameters<typeof logSpec>[0] = {}, maxLineBytes?: number): Promise<{ file: string; hub: LogHub }> {
  const file = path.join(freshDir(), 'app-out.log');
  const hub = new LogHub(maxLineBytes === undefined ? {} : { maxLineBytes });
  const log = hub.open('app:0', 'app', 0, logSpec({ outFile: file, ...overrides }));
  const stream = fakeStream();
  log.attach(stream, 'out');
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await log.drained();
  return { file, hub };
}

const ROOT = tempDir();
// One temp root for the file: a folder per test without one exit listener each.
const freshDir = (): string => fs.mkdtempSync(path.join(ROOT, 't-'));
const text = (file: string): string => fs.readFileSync(file, 'utf8');

test('UTF-8 split across chunks, CRLF and an unterminated last line reach the file intact', async (t) => {
  const bytes = Buffer.from('héllo ✓\r\nnext');
  const { file, hub } = await feed([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)]);
  t.is(text(file), 'héllo ✓\r\nnext\n');
  t.deepEqual(hub.tail(['app:0'], 10).map((l) => l.line), ['héllo ✓', 'next']);
});

test('carriage-return progress: the file keeps what the app wrote, viewers get the last state', async (t) => {
  const { file, hub } = await feed(['10%\r', '50%\r100%\n']);
  t.is(text(file), '10%\r50%\r100%\n');
  t.deepEqual(hub.tail(['app:0'], 10).map((l) => l.line), ['100%']);
});

test('an over-long line is wrapped in the file with a marker, nothing dropped, and cut for viewers', async (t) => {
  const long = 'a'.repeat(250);
  const { file, hub } = await feed([long.slice(0, 40), long.slice(40), '\nshort\n'], {}, 100);
  const lines = text(file).split('\n');
  t.is(lines.map((line) => line.replace(WRAP_MARKER, '')).slice(0, -2).join(''), long);
  t.true(lines.slice(0, -3).every((line) => line.endsWith(WRAP_MARKER) && line.length <= 100 + WRAP_MARKER.length));
  t.is(lines.at(-2), 'short');
  t.true(hub.tail(['app:0'], 10).every((l) => l.line.length <= 100 + 20));
});

test('binary and invalid UTF-8: bytes kept in the file, readable for viewers', async (t) => {
  const { file, hub } = await feed([Buffer.from([0x61, 0xff, 0x00, 0x62, 0x0a])]);
  t.deepEqual(fs.readFileSync(file), Buffer.from([0x61, 0xff, 0x00, 0x62, 0x0a]));
  t.is(hub.tail(['app:0'], 1)[0]?.line, 'a\uFFFD\u0000b');
});

test('ANSI colours are stripped in files and kept for viewers', async (t) => {
  const { file, hub } = await feed(['\u001b[31mred\u001b[0m plain\n', 'no colour\n']);
  t.is(text(file), 'red plain\nno colour\n');
  t.is(hub.tail(['app:0'], 2)[0]?.line, '\u001b[31mred\u001b[0m plain');
});

test('log_date_format prefixes each line exactly once', async (t) => {
  const { file } = await feed(['one\ntwo\n'], { timestamp: true, dateFormat: '[at] YYYY/MM/DD HH:mm' });
  t.regex(text(file), /^at \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}: one\nat \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}: two\n$/);
});

test('merge_logs: instances share the files; without it each has <name>-out-<index>.log', async (t) => {
  const dir = freshDir();
  const outFile = path.join(dir, 'api-out.log');
  const errorFile = path.join(dir, 'api-error.log');
  for (const merge of [true, false]) {
    const hub = new LogHub();
    const logs = [0, 1].map((index) => hub.open(`api:${index}`, 'api', index, logSpec({ outFile, errorFile, merge })));
    logs.forEach((log, index) => {
      log.note('out', `out ${index} ${merge}`);
      log.note('err', `err ${index} ${merge}`);
    });
    await Promise.all(logs.map((log) => log.drained()));
    await hub.close();
  }
  t.is(text(outFile), 'out 0 true\nout 1 true\n');
  t.is(text(errorFile), 'err 0 true\nerr 1 true\n');
  t.is(text(path.join(dir, 'api-out-0.log')), 'out 0 false\n');
  t.is(text(path.join(dir, 'api-out-1.log')), 'out 1 false\n');
  t.is(text(path.join(dir, 'api-error-1.log')), 'err 1 false\n');
});

test('log_file gets stdout and stderr combined, whole lines, each once', async (t) => {
  const dir = freshDir();
  const spec = logSpec({ outFile: path.join(dir, 'a-out.log'), errorFile: path.join(dir, 'a-error.log'), combinedFile: path.join(dir, 'a.log') });
  const hub = new LogHub();
  const log = hub.open('a:0', 'a', 0, spec);
  const out = fakeStream();
  const err = fakeStream();
  log.attach(out, 'out');
  log.attach(err, 'err');
  out.write('out-1\nout-');
  err.write('err-1\n');
  out.end('2\n');
  err.end();
  await log.drained();
  t.is(text(spec.outFile ?? ''), 'out-1\nout-2\n');
  t.is(text(spec.errorFile ?? ''), 'err-1\n');
  t.deepEqual(text(spec.combinedFile ?? '').split('\n').sort(), ['', 'err-1', 'out-1', 'out-2']);
});

test('a null file (/dev/null) writes nothing, viewers still get the lines', async (t) => {
  const dir = freshDir();
  const hub = new LogHub();
  const log = hub.open('q:0', 'q', 0, logSpec({ outFile: null, errorFile: path.join(dir, 'q-error.log') }));
  const out = fakeStream();
  log.attach(out, 'out');
  out.end('quiet\n');
  await log.drained();
  t.deepEqual(fs.readdirSync(dir), []);
  t.is(hub.tail(['q:0'], 1)[0]?.line, 'quiet');
});

test('flush truncates the files; later lines are appended from the start', async (t) => {
  const dir = freshDir();
  const outFile = path.join(dir, 'nested', 'deeper', 'f-out.log');
  const hub = new LogHub();
  const log = hub.open('f:0', 'f', 0, logSpec({ outFile }));
  log.note('out', 'before');
  await log.drained();
  t.is(text(outFile), 'before\n');
  await hub.flush(['f:0']);
  t.is(text(outFile), '');
  log.note('out', 'after');
  await log.drained();
  t.is(text(outFile), 'after\n');
});

test('reopen after an external rename (logrotate) writes into a new file', async (t) => {
  const dir = freshDir();
  const outFile = path.join(dir, 'r-out.log');
  const hub = new LogHub();
  const log = hub.open('r:0', 'r', 0, logSpec({ outFile }));
  log.note('out', 'old');
  await log.drained();
  fs.renameSync(outFile, `${outFile}.rotated`);
  log.note('out', 'still old');
  await log.drained();
  await hub.reopen();
  log.note('out', 'new');
  await log.drained();
  t.is(text(`${outFile}.rotated`), 'old\nstill old\n');
  t.is(text(outFile), 'new\n');
});
