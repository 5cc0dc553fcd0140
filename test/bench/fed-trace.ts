/**
 * Where a remote command's time goes: reads the marks NODE_UNIT_FED_TRACE=<file> made (the bench client, the
 * master and the worker append to one file on one clock) and prints the median of each hop, one command being
 * the marks from one `client.send` to its `client.got`. The first three commands are left out as warm-up.
 * Run: NODE_UNIT_FED_TRACE=/tmp/t.log node dist/test/bench/federation.js …; node dist/test/bench/fed-trace.js /tmp/t.log
 */
import fs from 'node:fs';

interface Mark {
  readonly at: number;
  readonly what: string;
}

const WARM_UP = 3;

function commands(text: string): readonly (readonly Mark[])[] {
  const all: Mark[][] = [];
  for (const line of text.split('\n')) {
    const [at, , what] = line.split(' ');
    if (at === undefined || what === undefined) continue;
    if (what === 'client.send') all.push([]);
    all.at(-1)?.push({ at: Number(at), what });
  }
  return all.filter((marks) => marks.at(-1)?.what === 'client.got').slice(WARM_UP);
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: fed-trace.js <file written with NODE_UNIT_FED_TRACE>');
  const hops = new Map<string, number[]>();
  const ran = commands(fs.readFileSync(file, 'utf8'));
  for (const marks of ran) {
    marks.slice(1).forEach((mark, i) => {
      const hop = `${marks[i]?.what} → ${mark.what}`;
      hops.set(hop, [...(hops.get(hop) ?? []), mark.at - (marks[i]?.at ?? mark.at)]);
    });
  }
  process.stdout.write(`${ran.length} commands; median of each hop (hops seen in fewer than half of them left out):\n`);
  for (const [hop, times] of hops) if (times.length * 2 >= ran.length) process.stdout.write(`${median(times).toFixed(2).padStart(8)} ms  ${hop}\n`);
  process.stdout.write(`${median(ran.map((marks) => (marks.at(-1)?.at ?? 0) - (marks[0]?.at ?? 0))).toFixed(2).padStart(8)} ms  in all\n`);
}

main();
