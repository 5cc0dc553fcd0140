import test from 'ava';
import { parseDotenv } from '../../src/util/dotenv.js';

const vars = (source: string): Readonly<Record<string, string>> => {
  const result = parseDotenv(source);
  if (!result.ok) throw new Error(`${result.line}: ${result.error}`);
  return result.vars;
};

test('KEY=value lines, comments, blank lines, export, spaces around =', (t) => {
  t.deepEqual(vars('# a comment\n\nA=1\nexport B = two\n  C=three  \nD=\n'), { A: '1', B: 'two', C: 'three', D: '' });
});

test('an inline comment after an unquoted value is dropped; a # inside a value is kept', (t) => {
  t.deepEqual(vars('A=1 # one\nB=a#b\n'), { A: '1', B: 'a#b' });
});

test('double quotes expand \\n \\t \\" \\\\; single and back quotes are literal', (t) => {
  t.deepEqual(vars(`A="line1\\nline2\\t\\"q\\" \\\\"\nB='no \\n here'\nC=\`tick \\n\``), { A: 'line1\nline2\t"q" \\', B: 'no \\n here', C: 'tick \\n' });
});

test('an escaped backslash before the closing quote does not escape the quote', (t) => {
  t.deepEqual(vars(`PATH_ON_WINDOWS="C:\\\\"\nNEXT=1`), { PATH_ON_WINDOWS: 'C:\\', NEXT: '1' });
});

test('a quoted value keeps # and a comment may follow it', (t) => {
  t.deepEqual(vars(`A="a # b" # comment\nB='x'`), { A: 'a # b', B: 'x' });
});

test('double-quoted values may span lines', (t) => {
  t.deepEqual(vars('KEY="-----BEGIN-----\nabc\n-----END-----"\nNEXT=1\n'), { KEY: '-----BEGIN-----\nabc\n-----END-----', NEXT: '1' });
});

test('CRLF line endings', (t) => {
  t.deepEqual(vars('A=1\r\nB="2"\r\n'), { A: '1', B: '2' });
});

test('later lines win', (t) => {
  t.deepEqual(vars('A=1\nA=2\n'), { A: '2' });
});

test('a line that is not KEY=value is an error with its line number', (t) => {
  t.deepEqual(parseDotenv('A=1\n\nnot a variable\n'), { ok: false, line: 3, error: 'expected KEY=value, got "not a variable"' });
  t.deepEqual(parseDotenv('1A=x'), { ok: false, line: 1, error: 'expected KEY=value, got "1A=x"' });
});

test('an unclosed quote is an error at the line where the value starts', (t) => {
  t.deepEqual(parseDotenv('A=1\nB="open\nC=3\n'), { ok: false, line: 2, error: 'unclosed " quote for B' });
});
