import test from 'ava';
import { sanitize, stripAnsi } from '../../src/tui/ansi.js';
import { layoutColumns } from '../../src/tui/columns.js';
import { indexAtOrAfter, LogStore, MERGED_LINES, searchText, STORE_CHARS } from '../../src/tui/log-store.js';
import type { LogLine } from '../../src/model/events.js';
import { toKeyPresses } from '../../src/tui/hooks/useKeys.js';
import { Ring } from '../../src/tui/ring.js';
import { compileSearch, segments } from '../../src/tui/search.js';
import { FrameDiffer } from '../../src/tui/frame-writer.js';
import { RowOverlay } from '../../src/tui/row-overlay.js';
import { clockTime, lineRows } from '../../src/tui/row-text.js';
import { prettyJson } from '../../src/tui/json-line.js';
import { cutRows, DISPLAY_CHARS, textWidth } from '../../src/tui/cells.js';
import { cut, simpleWidth } from '../../src/tui/sgr.js';
import { historyLines } from './fake-controller.js';

test('a ring keeps the newest items in order', (t) => {
  const ring = new Ring<number>(3);
  for (let i = 1; i <= 5; i++) ring.push(i);
  t.deepEqual(ring.toArray(), [3, 4, 5]);
  t.is(ring.at(0), 3);
  t.is(ring.at(3), undefined);
});

test('the log store is bounded per instance and merged, and seeds history before live lines without duplicates', (t) => {
  const store = new LogStore(100);
  store.append(historyLines('api:0', 10, (i) => `live ${i}`, 9_001));
  store.seed([...historyLines('api:0', 9_000), ...historyLines('api:0', 50, (i) => `dup ${i}`, 9_001)]);
  const api = store.view('api:0');
  t.is(api.length, 100);
  t.is(api.at(99)?.plain, 'live 10');
  t.is(api.at(89)?.plain, 'line 9000');
  t.is(store.view('all').length, MERGED_LINES);
  t.is(indexAtOrAfter(api, 9_001), 90);
  t.is(store.view('other:0').length, 0);
});

test('sanitize keeps colours and drops what could move the cursor', (t) => {
  t.is(sanitize('\x1b[32mok\x1b[0m'), '\x1b[32mok\x1b[0m');
  t.is(sanitize('a\x1b[2Jb\x1b[10;5Hc\x07'), 'abc');
  t.is(sanitize('progress 10%\rprogress 99%'), 'progress 99%');
  t.is(sanitize('a\tb'), 'a    b');
  t.is(sanitize('lone \x1b'), 'lone ');
  t.is(stripAnsi('\x1b[1;31mred\x1b[0m'), 'red');
});

test('search is case-smart and falls back to literal text', (t) => {
  t.true(compileSearch('error').regex.flags.includes('i'));
  t.false(compileSearch('Error').regex.flags.includes('i'));
  const bad = compileSearch('a(b');
  t.true(bad.literal);
  t.deepEqual(segments(bad, 'xa(by'), [
    { text: 'x', match: false },
    { text: 'a(b', match: true },
    { text: 'y', match: false },
  ]);
  t.deepEqual(segments(compileSearch('o+'), 'foo bar boo').filter((s) => s.match).map((s) => s.text), ['oo', 'oo']);
});

test('columns drop by priority and INFO takes the rest', (t) => {
  const keys = (width: number): string => layoutColumns(width, 8).map((c) => c.key).join(' ');
  t.is(keys(200), 'name instance status pid cpu memory uptime restarts info');
  t.is(keys(78), 'name instance status cpu memory uptime restarts info');
  t.is(keys(58), 'name instance status cpu restarts info');
  t.is(keys(40), 'name status restarts info');
  t.is(keys(30), 'name status info');
  const wide = layoutColumns(200, 8);
  t.is(wide.reduce((sum, c) => sum + c.width + (c.key === 'info' ? 0 : 1), 0), 200);
});

test('keys that arrive together count one by one', (t) => {
  const none = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false };
  t.deepEqual(toKeyPresses('/jo\r', none), [
    { kind: 'char', char: '/' },
    { kind: 'char', char: 'j' },
    { kind: 'char', char: 'o' },
    { kind: 'enter' },
  ]);
  t.deepEqual(toKeyPresses('', { ...none, upArrow: true }), [{ kind: 'up' }]);
  t.deepEqual(toKeyPresses('c', { ...none, ctrl: true }), [{ kind: 'ctrlC' }]);
});

test('rows: coloured, cut to the width with …, wide characters counted as two columns', (t) => {
  const line = { seq: 1, id: 'api:0', app: 'api', stream: 'out', text: '\x1b[32mdone\x1b[0m job 1', plain: 'done job 1' } as const;
  const style = { label: 'api', labelWidth: 5, labelColor: 'cyan', search: undefined, current: false, selected: false, width: 80, wrap: false } as const;
  t.deepEqual(lineRows(line, style, 5).map(stripAnsi), ['api   │ done job 1']);
  t.deepEqual(lineRows(line, { ...style, width: 14 }, 5).map(stripAnsi), ['api   │ done …']);
  const wide = lineRows({ ...line, plain: '漢字漢字漢字', text: '漢字漢字漢字' }, { ...style, label: '名前がとても長いアプリ', width: 16 }, 5).map(stripAnsi);
  t.deepEqual(wide, ['名前… │ 漢字漢…']);
  t.true(wide.every((row) => textWidth(row) <= 16));
  const emoji = lineRows({ ...line, plain: 'ok ✅ done', text: 'ok ✅ done' }, { ...style, label: '🚀🚀🚀🚀', labelWidth: 5, width: 30 }, 5).map(stripAnsi);
  t.deepEqual(emoji, ['🚀🚀… │ ok ✅ done']);
  t.is(textWidth('🚀🚀…'), 5);
  t.is(simpleWidth('\x1b[1mab\x1b[0m│'), 3);
  t.is(cut('\x1b[31mabcdef\x1b[0m', 6, 4), '\x1b[31mabc\x1b[0m…');
});

test('the row overlay swaps placeholders for rows and forgets the oldest past its capacity', (t) => {
  const overlay = new RowOverlay(2);
  const a = overlay.placeholder('row a');
  const b = overlay.placeholder('row b');
  t.is(overlay.resolve(`x${a}\n${b}y`), 'xrow a\nrow by');
  overlay.resolve(a);
  overlay.placeholder('row c');
  t.is(overlay.resolve(a), 'row a', 'a was shown last: b goes first');
  t.is(overlay.resolve(b), '');
  t.is(overlay.resolve('no placeholders'), 'no placeholders');
});

test('a live row is drawn when it is swapped in, at the time given', (t) => {
  const overlay = new RowOverlay();
  const live = overlay.placeholder((now) => `up ${now}s`);
  const fixed = overlay.placeholder('fixed');
  t.is(overlay.resolve(`${live}\n${fixed}`, 5), 'up 5s\nfixed');
  t.is(overlay.resolve(`${live}\n${fixed}`, 6), 'up 6s\nfixed');
});

test('frames: a redraw rewrites the lines whose live rows read differently now, and only those', (t) => {
  const overlay = new RowOverlay();
  const differ = new FrameDiffer();
  const erase = (n: number): string => `${'\x1b[2K\x1b[1A'.repeat(n - 1)}\x1b[2K\x1b[G`;
  const at = (now: number) => (line: string): string => overlay.resolve(line, now);
  t.is(differ.redraw(80, at(1)), undefined, 'no frame yet: only a frame can draw');
  const head = overlay.placeholder((now) => `up ${now}s`);
  const row = overlay.placeholder('row 1');
  t.is(differ.rewrite(`${erase(3)}${head}\n${row}\n`, 80, at(1)), `${erase(3)}up 1s\nrow 1\n`, 'a frame of another shape: written whole');
  t.is(differ.redraw(80, at(1)), '', 'nothing reads differently');
  t.is(differ.redraw(80, at(2)), '\x1b[2A\rup 2s\x1b[K\n\n\r', 'from below the frame up to it, the changed line, back below');
  t.is(differ.rewrite(`${erase(3)}${head}\n${row}\n`, 80, at(2)), '\x1b[2A\n\n\r', 'the next frame compares with what the redraw drew');
  t.is(differ.redraw(100, at(3)), undefined, 'another width: only a frame can draw');
});

test('frames: only the lines that changed are rewritten, from the top of the frame', (t) => {
  const differ = new FrameDiffer();
  const erase = (n: number): string => `${'\x1b[2K\x1b[1A'.repeat(n - 1)}\x1b[2K\x1b[G`;
  t.is(differ.rewrite('head\nrow 1\nrow 2\n', 80), 'head\nrow 1\nrow 2\n', 'the first frame as Ink wrote it');
  t.is(differ.rewrite(`${erase(4)}head\nrow 1\nrow 2\n`, 80), `${erase(4)}head\nrow 1\nrow 2\n`, 'no previous shape known yet');
  t.is(differ.rewrite(`${erase(4)}head\nrow 1\nrow 3\n`, 80), '\x1b[3A\n\n\rrow 3\x1b[K\n\r');
  t.is(differ.rewrite('\x1b[?2026h', 80), '\x1b[?2026h', 'synchronized output passes and keeps the frame');
  t.is(differ.rewrite(`${erase(4)}head\nrow 1\nrow 3\n`, 100), `${erase(4)}head\nrow 1\nrow 3\n`, 'a new width redraws it all');
  t.is(differ.rewrite(`${erase(4)}head\nrow 1\n`, 100), `${erase(4)}head\nrow 1\n`, 'another height redraws it all');
});

test('wrapped rows start under the text; a 200 KB line is cut for display, and costs what an 8 KB one does', (t) => {
  const line = { seq: 1, id: 'api:0', app: 'api', stream: 'out', text: 'x'.repeat(200_000), plain: 'x'.repeat(200_000) } as const;
  const style = { label: 'api', labelWidth: 5, labelColor: 'cyan', search: undefined, current: false, selected: false, width: 40, wrap: true } as const;
  const rows = lineRows(line, style, 1000).map(stripAnsi);
  t.is(rows[0], `api   │ ${'x'.repeat(32)}`);
  t.is(rows[1], `      │ ${'x'.repeat(32)}`);
  t.is(rows.length, Math.ceil(DISPLAY_CHARS / 32));
  t.true(rows.at(-1)?.endsWith('…'));
  t.deepEqual(lineRows(line, style, 3).map(stripAnsi).at(-1), `      │ ${'x'.repeat(31)}…`);
  t.deepEqual(cutRows('\x1b[31mabcdef', { first: 3, next: 3, maxRows: 5 }), ['\x1b[31mabc\x1b[0m', '\x1b[31mdef\x1b[0m'], 'colour carried to the next row');
});

test('a search match beyond the cut of an unwrapped line is scrolled into view', (t) => {
  const plain = `${'a'.repeat(5000)} needle ${'b'.repeat(100)}`;
  const line = { seq: 1, id: 'api:0', app: 'api', stream: 'out', text: plain, plain } as const;
  const style = { label: undefined, labelWidth: 0, labelColor: 'cyan', search: compileSearch('needle'), current: true, selected: false, width: 60, wrap: false } as const;
  const [row = ''] = lineRows(line, style, 1).map(stripAnsi);
  t.true(row.startsWith('…'));
  t.true(row.includes('needle'), row);
  t.true(textWidth(row) <= 60);
});

test('the view keeps the first 16 K characters of a line: memory is bounded by bytes as well as lines', (t) => {
  const store = new LogStore();
  store.append([{ seq: 1, id: 'api:0', app: 'api', stream: 'out', time: 0, line: 'y'.repeat(200_000) }]);
  t.is(store.view('all').at(0)?.plain.length, STORE_CHARS);
});

test('whole texts of long lines are kept for search and copy within a budget of characters, oldest let go first', (t) => {
  const store = new LogStore(100, 150_000);
  const line = (seq: number): LogLine => ({ seq, id: 'api:0', app: 'api', stream: 'out', time: 0, line: `\x1b[31m${String(seq).repeat(60_000)}\x1b[0m` });
  store.append([line(1), line(2), line(3)]);
  const view = store.view('all');
  const whole = (index: number): string | undefined => {
    const kept = view.at(index);
    return kept && searchText(kept);
  };
  const colour = '\x1b[31m'.length;
  t.is(view.at(0)?.plain.length, STORE_CHARS - colour, 'display keeps its cut');
  t.is(whole(2), '3'.repeat(60_000), 'the newest long line whole, without colours');
  t.is(whole(1)?.length, 60_000);
  t.is(whole(0)?.length, STORE_CHARS - colour, 'the oldest let go: 180 K characters were over the budget of 150 K');
});

test('a JSON line is shown as LEVEL message key=value; other lines, arrays and broken JSON as written', (t) => {
  const pino = { plain: '{"level":30,"time":1700000000000,"msg":"listening","port":3000,"tags":["a"]}' };
  t.is(stripAnsi(prettyJson(pino) ?? ''), 'INFO  listening time=1700000000000 port=3000 tags=["a"]');
  t.is(stripAnsi(prettyJson({ plain: '{"severity":"ERROR","message":"boom","err":{"code":1}}' }) ?? ''), 'ERROR boom err={"code":1}');
  t.regex(prettyJson({ plain: '{"level":"warn","msg":"slow"}' }) ?? '', /\x1b\[33mWARN/, 'levels coloured');
  for (const plain of ['plain text', '[1,2]', '{"broken":', '{}x']) t.is(prettyJson({ plain }), undefined, plain);
});

test('the timestamp column shows each line\'s time of arrival; wrapped rows start under the text', (t) => {
  const time = new Date(2026, 0, 1, 9, 5, 7).getTime();
  const line = { seq: 1, id: 'api:0', app: 'api', stream: 'out', time, text: 'x'.repeat(30), plain: 'x'.repeat(30) } as const;
  const style = { label: 'api', labelWidth: 3, labelColor: 'cyan', search: undefined, current: false, selected: false, width: 35, wrap: true, timestamps: true } as const;
  t.deepEqual(lineRows(line, style, 5).map(stripAnsi), [`09:05:07 api │ ${'x'.repeat(20)}`, `             │ ${'x'.repeat(10)}`]);
  t.is(clockTime(time), '09:05:07');
});
