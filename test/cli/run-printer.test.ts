import test from 'ava';
import { printers, type LogsOptions } from '../../src/cli/commands/logs.js';
import type { LogLine } from '../../src/model/events.js';
import { packLines, unpackRun } from '../../src/model/log-runs.js';

/** What `print` writes to stdout (the printers write there, as `logs` does). */
function captured(print: () => void): string {
  const write = process.stdout.write.bind(process.stdout);
  let text = '';
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    print();
  } finally {
    process.stdout.write = write;
  }
  return text;
}

const line = (seq: number, text: string, over: Partial<LogLine> = {}): LogLine => ({ seq, node: 'nas', id: 'nas/api:0', app: 'nas/api', stream: 'out', time: 1_700_000_000_000, line: text, ...over });

const LINES: readonly LogLine[] = [
  ...Array.from({ length: 50 }, (_, i) => line(i + 1, `request ${i + 1} served`)),
  line(51, 'oops', { stream: 'err' }),
  line(52, '\u001b[31mred\u001b[0m and plain'),
  line(53, 'later', { time: 1_700_000_000_500 }),
  line(54, 'other app', { id: 'nas/db:0', app: 'nas/db' }),
  line(55, ''),
  line(56, 'α β γ — wide: 漢字'),
  line(57, 'a line that holds\na newline, as a plugin may write'),
  line(58, 'after it'),
];

const OPTIONS: readonly [string, LogsOptions][] = [
  ['plain', {}],
  ['timestamps', { timestamps: true }],
  ['json', { json: true }],
];

for (const [what, options] of OPTIONS) {
  test(`runs print exactly as their lines do (${what})`, (t) => {
    const runs = packLines(LINES);
    t.true(runs.length < LINES.length, 'lines were packed into runs');
    const byLines = captured(() => printers(options, { has: () => true }).lines(LINES));
    const byRuns = captured(() => printers(options, { has: () => true }).runs(runs));
    // JSON names a line's fields in the order its object has them: the same fields either way.
    if (options.json) t.deepEqual(byRuns.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown), byLines.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown));
    else t.is(byRuns, byLines);
    const unpacked: LogLine[] = [];
    for (const run of runs) unpackRun(run, unpacked, 'run');
    t.deepEqual(unpacked, LINES);
  });
}

test('one printer of both kinds gives an app the same colour in lines and runs', (t) => {
  const previous = process.env.FORCE_COLOR;
  process.env.FORCE_COLOR = '1';
  t.teardown(() => (previous === undefined ? delete process.env.FORCE_COLOR : (process.env.FORCE_COLOR = previous)));
  const print = printers({}, { has: () => true });
  const first = captured(() => print.lines([line(1, 'a', { id: 'nas/db:0', app: 'nas/db' })]));
  const second = captured(() => print.runs(packLines([line(2, 'b'), line(3, 'c', { id: 'nas/db:0', app: 'nas/db' })])));
  const prefixOf = (text: string, name: string): string | undefined => text.split('\n').find((l) => l.includes(name))?.split(name)[0];
  t.is(prefixOf(second, 'nas/db:0'), prefixOf(first, 'nas/db:0'));
  t.not(prefixOf(second, 'nas/api:0'), prefixOf(second, 'nas/db:0'));
});
