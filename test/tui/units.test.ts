import test from 'ava';
import { sanitize, stripAnsi } from '../../src/tui/ansi.js';
import { layoutColumns } from '../../src/tui/columns.js';
import { indexAtOrAfter, LogStore, MERGED_LINES } from '../../src/tui/log-store.js';
import { toKeyPresses } from '../../src/tui/hooks/useKeys.js';
import { Ring } from '../../src/tui/ring.js';
import { compileSearch, segments } from '../../src/tui/search.js';
import { FrameDiffer } from '../../src/tui/frame-writer.js';
import { RowOverlay } from '../../src/tui/row-overlay.js';
import { rowText } from '../../src/tui/row-text.js';
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
  t.is(keys(78), 'name status pid cpu memory uptime info');
  t.is(keys(60), 'name status cpu memory info');
  t.is(keys(40), 'name status info');
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

test('rows: coloured, cut to the width with …, and other-width characters left to Ink', (t) => {
  const line = { seq: 1, id: 'api:0', app: 'api', stream: 'out', text: '\x1b[32mdone\x1b[0m job 1', plain: 'done job 1' } as const;
  const style = { label: 'api', labelWidth: 5, labelColor: 'cyan', search: undefined, current: false, selected: false, width: 80 } as const;
  t.is(stripAnsi(rowText(line, style) ?? ''), 'api   │ done job 1');
  t.is(stripAnsi(rowText(line, { ...style, width: 14 }) ?? ''), 'api   │ done …');
  t.is(rowText({ ...line, plain: '漢字', text: '漢字' }, style), undefined);
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
