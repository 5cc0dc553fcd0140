import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { waitFor } from '../helpers/wait.js';
import { alive, pidOf, PROCS, upInTerminal } from './up-terminal.js';

function viewPid(supervisor: number): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === supervisor && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('view-child')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

const APPS = [
  { name: 'steady', script: path.join(PROCS, 'forever.js') },
  { name: 'flood', script: path.join(PROCS, 'steady-flood.js'), args: ['500'] },
];

test('a crash of the view takes no app down: the supervisor says so, restores the terminal and keeps running', async (t) => {
  const up = await upInTerminal(t, APPS, { columns: 120, rows: 30 });
  const before = await up.allOnline(2);
  await up.tmux.waitScreen((s) => /LOGS all apps/.test(s), 'the view');
  const view = await waitFor(() => viewPid(up.pid), { what: 'the view process' });
  process.kill(view, 'SIGKILL');
  await up.tmux.waitScreen((s) => /the view stopped unexpectedly \(killed by SIGKILL\); every app keeps running/.test(s), 'the notice', 20_000, { history: true });
  const after = await up.client.list();
  t.deepEqual(after.map(pidOf), before.map(pidOf), 'the same processes, none restarted');
  t.true(after.every((info) => info.state.status === 'online'));
  await up.tmux.waitScreen((s) => /flood +\| flood line/.test(s), 'headless lines printed in the restored terminal');
  up.tmux.keys('C-c');
  await up.tmux.waitScreen((s) => /node-unit exited with 0/.test(s), 'Ctrl-C still stops everything', 30_000);
  t.true(after.every((info) => !alive(pidOf(info) ?? 0)));
});

test('q then d in up detaches the view: everything keeps running and the terminal says how to come back', async (t) => {
  const up = await upInTerminal(t, APPS, { columns: 120, rows: 30 });
  const before = await up.allOnline(2);
  await up.tmux.waitScreen((s) => /LOGS all apps/.test(s), 'the view');
  up.tmux.keys('q');
  await up.tmux.waitScreen((s) => /Quit\? s = stop everything/.test(s), 'the question');
  up.tmux.keys('d');
  await up.tmux.waitScreen((s) => /view closed; every app keeps running here \('node-unit attach' shows it again/.test(s), 'the notice', 20_000, { history: true });
  t.true((await up.client.list()).every((info) => info.state.status === 'online'));
  t.is(viewPid(up.pid), undefined, 'the view has gone');
  up.tmux.keys('C-c');
  await up.tmux.waitScreen((s) => /node-unit exited with 0/.test(s), 'Ctrl-C stops everything', 30_000);
  t.true(before.every((info) => !alive(pidOf(info) ?? 0)));
});
