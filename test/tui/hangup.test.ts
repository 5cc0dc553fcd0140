import path from 'node:path';
import test from 'ava';
import { waitFor } from '../helpers/wait.js';
import { alive, pidOf, PROCS, upInTerminal } from './up-terminal.js';

const TRIES = 4;

test('closing the terminal (tmux kill-session) with the view wrapped on long lines ends the supervisor and every app, every time', async (t) => {
  t.timeout(TRIES * 60_000);
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    const up = await upInTerminal(t, [
      { name: 'longline', script: path.join(PROCS, 'long-lines.js'), args: ['200000', '200'] },
      { name: 'flood', script: path.join(PROCS, 'steady-flood.js'), args: ['3000'] },
      { name: 'steady', script: path.join(PROCS, 'forever.js'), instances: 2 },
    ]);
    const list = await up.allOnline(4);
    const pids = [up.pid, ...list.map(pidOf).filter((pid) => pid !== undefined)];
    up.tmux.keys('Enter', 'w');
    await up.tmux.waitScreen((s) => /· wrap/.test(s) && /x{100}/.test(s), `try ${attempt}: the long lines wrapped`);
    up.tmux.run('kill-session', '-t', 'main');
    const left = await waitFor(() => (pids.every((pid) => !alive(pid)) ? 'none' : undefined), { timeoutMs: 20_000, what: 'the supervisor and every app gone' }).catch(() => pids.filter(alive).join(', '));
    t.is(left, 'none', `try ${attempt}: still alive: ${left}`);
    up.tmux.kill();
  }
});
