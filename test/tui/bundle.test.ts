import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
// Ink's own dependency: the function the bundle routes to styledLine, compared on the same input.
import { ansiCodesToString, diffAnsiCodes, styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar } from '@alcalzone/ansi-tokenize';
import { styledLine } from '../../src/tui/styled-line.js';

const ESC = '\x1b[';
const STYLES = ['31m', '39m', '1m', '22m', '2m', '7m', '27m', '4m', '24m', '42m', '49m', '38;5;208m', '38;2;10;20;30m', '0m', '90m', '3m', '23m'];
const TEXT = ['a', 'bc', ' ', '  ', 'online', '│', '›', '日本', '😀', 'x'];

/** A deterministic mix of text and SGR codes (a small LCG: the same cases on every run). */
function randomLines(count: number): string[] {
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  return Array.from({ length: count }, () => {
    let line = '';
    for (let parts = next(12); parts >= 0; parts--) line += next(3) === 0 ? `${ESC}${STYLES[next(STYLES.length)]}` : TEXT[next(TEXT.length)];
    return line;
  });
}

/** As Ink's Output builds a row: styled cells from the text, then blank cells with styles of their own. */
function row(line: string, width: number): StyledChar[] {
  const cells = styledCharsFromTokens(tokenize(line));
  while (cells.length < width) cells.push({ type: 'char', value: ' ', fullWidth: false, styles: [] });
  return cells;
}

test('styledLine gives the string Ink\'s styledCharsToString gives, row for row', (t) => {
  const lines = [
    '',
    'plain',
    `${ESC}31mred${ESC}39m plain ${ESC}1m${ESC}32mbold green${ESC}22m green${ESC}39m`,
    `${ESC}7m inverse to the end`,
    `${ESC}1m${ESC}2mbold and dim${ESC}22m`,
    ...randomLines(500),
  ];
  for (const line of lines) {
    for (const cells of [styledCharsFromTokens(tokenize(line)), row(line, 40)]) {
      t.is(styledLine(cells, diffAnsiCodes, ansiCodesToString), styledCharsToString(cells), JSON.stringify(line));
    }
  }
});

test('the built TUI bundle routes Ink\'s rows through styledLine, shares one blank cell, and leaves out the React devtools', (t) => {
  const bundle = fs.readFileSync(path.join(process.cwd(), 'dist', 'tui.mjs'), 'utf8');
  t.regex(bundle, /function styledCharsToString\(chars\)\s*\{\s*return styledLine\(chars,/);
  t.regex(bundle, /row\.push\(BLANK_CELL\)/);
  t.notRegex(bundle, /react-devtools-core["']/);
  t.notRegex(bundle, /react\.development|react-reconciler\.development/);
});

test('the built TUI bundle is ASCII only, so the view holds its source as one byte a character, not two', (t) => {
  const bundle = fs.readFileSync(path.join(process.cwd(), 'dist', 'tui.mjs'), 'utf8');
  // eslint-disable-next-line no-control-regex
  const first = /[^\x00-\x7f]/.exec(bundle);
  t.is(first, null, first ? `non-ASCII ${JSON.stringify(bundle.slice(first.index - 40, first.index + 10))}` : '');
});
