import test from 'ava';
import { needsShell, splitShellWords } from '../../src/util/shell-words.js';

const words = (line: string): readonly string[] => {
  const result = splitShellWords(line);
  if (!result.ok) throw new Error(result.error);
  return result.words;
};

test('splits on runs of whitespace', (t) => {
  t.deepEqual(words('  start   --port 3000\t-v\n'), ['start', '--port', '3000', '-v']);
  t.deepEqual(words(''), []);
  t.deepEqual(words('   '), []);
});

test('single quotes keep everything literally', (t) => {
  t.deepEqual(words(`--msg 'hello   "world" \\n $HOME'`), ['--msg', 'hello   "world" \\n $HOME']);
});

test('double quotes honour \\" \\\\ \\$ and \\` only', (t) => {
  t.deepEqual(words(`"a \\"b\\" \\\\ \\$x \\n"`), ['a "b" \\ $x \\n']);
});

test('quotes join with adjacent text into one word; empty quotes are an empty word', (t) => {
  t.deepEqual(words(`--name="two words" x'y'z "" ''`), ['--name=two words', 'xyz', '', '']);
});

test('a backslash outside quotes escapes the next character', (t) => {
  t.deepEqual(words('two\\ words \\"quoted\\"'), ['two words', '"quoted"']);
});

test('a trailing backslash is kept', (t) => {
  t.deepEqual(words('a \\'), ['a', '\\']);
});

test('an unclosed quote is an error naming the quote', (t) => {
  t.deepEqual(splitShellWords(`--name "two words`), { ok: false, error: 'unclosed " quote' });
  t.deepEqual(splitShellWords(`it's`), { ok: false, error: "unclosed ' quote" });
});

test('needsShell spots operators, expansions and redirections', (t) => {
  t.true(needsShell('npm run build && npm start'));
  t.true(needsShell('echo $HOME'));
  t.true(needsShell('node a.js > out.log'));
  t.true(needsShell('ls *.js'));
  t.false(needsShell('node server.js --port 3000'));
  t.false(needsShell('python3 -m http.server'));
});
