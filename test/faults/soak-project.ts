/** The soak's project: apps that crash at random, flood their logs, or just run. */
import path from 'node:path';
import { cjsConfig } from '../helpers/control.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { PROCS } from './procs.js';

/** Runs 0.3-3 s, printing 200 lines a second (its log ring fills during the warm-up), then crashes with code 1 (or, one time in five, is killed by a signal). */
const CRASHER = `const life = 300 + Math.random() * 2700;
const talk = setInterval(() => console.log('crasher working', Date.now()), 5);
setTimeout(() => {
  clearInterval(talk);
  console.error('crasher giving up');
  if (Math.random() < 0.2) process.kill(process.pid, 'SIGKILL');
  process.exit(1);
}, life);
`;

export const CRASHERS = ['crash0', 'crash1', 'crash2'] as const;
export const STEADY = ['steady0', 'steady1', 'steady2'] as const;
/** Apps the chaos restarts; the flooders restart themselves. */
export const RESTARTABLE = [...CRASHERS, ...STEADY, 'river'] as const;

export function writeSoakProject(): string {
  const dir = tempDir('nu-soak-');
  const crashers = CRASHERS.map((name) => ({ name, script: 'crasher.cjs', restart_delay: 100, min_uptime: 100, max_restarts: 1_000_000 }));
  const steady = STEADY.map((name) => ({ name, script: path.join(PROCS, 'forever.js') }));
  const floods = [
    // A steady river of lines, and a burst of 50,000 lines written as fast as possible every few seconds.
    { name: 'river', script: path.join(PROCS, 'steady-flood.js'), args: ['2000'] },
    { name: 'burst', script: path.join(PROCS, 'flood.js'), args: ['50000', 'block'], restart_delay: 3000, min_uptime: 0, max_restarts: 1_000_000 },
  ];
  writeFiles(dir, {
    'crasher.cjs': CRASHER,
    'ecosystem.config.cjs': cjsConfig([...crashers, ...steady, ...floods].map((app) => ({ ...app, log_max_size: '2M', log_max_files: 2 }))),
  });
  return dir;
}
