import test from 'ava';
import { linesKeptOnExit } from '../helpers/exit-lines.js';

// Ten runs each: a loss that happens one run in five must show.
const RUNS = 10;

test.serial('200,000 console.log lines then process.exit(0), beside two flooding apps: all of them, every run', async (t) => {
  t.timeout(RUNS * 300_000);
  const kept: number[] = [];
  for (let run = 0; run < RUNS; run++) kept.push((await linesKeptOnExit(t, 200_000, 'console')).kept);
  t.log(`kept: ${kept.join(' / ')}`);
  t.deepEqual(kept, Array.from({ length: RUNS }, () => 200_000));
});

test.serial('1,000,000 lines in 64 KiB writes then process.exit(0), beside two flooding apps: all of them, every run', async (t) => {
  t.timeout(RUNS * 300_000);
  const kept: number[] = [];
  for (let run = 0; run < RUNS; run++) kept.push((await linesKeptOnExit(t, 1_000_000, 'chunks')).kept);
  t.log(`kept: ${kept.join(' / ')}`);
  t.deepEqual(kept, Array.from({ length: RUNS }, () => 1_000_000));
});
