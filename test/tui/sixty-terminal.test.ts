import path from 'node:path';
import test from 'ava';
import { PROCS, upInTerminal } from './up-terminal.js';

/** 60 instances: 5 flooding, one crashing, one with a long CJK name, the rest idle. */
function sixtyApps(): readonly Record<string, unknown>[] {
  const apps: Record<string, unknown>[] = [];
  for (let i = 0; i < 5; i++) apps.push({ name: `flood-${i}`, script: path.join(PROCS, 'steady-flood.js'), args: ['2000'] });
  apps.push({ name: 'crasher', script: path.join(PROCS, 'exit-after.js'), args: ['1', '1500'], restart_delay: 500, max_restarts: 1000 });
  apps.push({ name: 'サービス-とても長い名前のアプリ', script: path.join(PROCS, 'forever.js') });
  for (let i = apps.length; i < 60; i++) apps.push({ name: `svc-${String(i).padStart(2, '0')}`, script: path.join(PROCS, 'forever.js') });
  return apps;
}

const selected = (screen: string): string => screen.split('\n').find((line) => line.startsWith('›')) ?? '';

test('60 apps, 5 flooding, in a real terminal: position, paging, filter, sort, mouse, detail, lifecycle lines, pause, q asks', async (t) => {
  t.timeout(180_000);
  const up = await upInTerminal(t, sixtyApps(), { columns: 140, rows: 40 });
  await up.allOnline(55);
  const first = await up.tmux.waitScreen((s) => /1–15 of 60/.test(s), 'the position');
  t.regex(selected(first), /flood-0/);
  up.tmux.keys('PageDown');
  await up.tmux.waitScreen((s) => /svc-14/.test(selected(s)) && /8–22 of 60/.test(s), 'a page down');
  up.tmux.keys('G');
  await up.tmux.waitScreen((s) => /svc-59/.test(selected(s)) && /46–60 of 60/.test(s), 'the last app');
  up.tmux.keys('g');
  await up.tmux.waitScreen((s) => /flood-0/.test(selected(s)), 'the first app');
  t.regex(up.tmux.screen(), /サービス-とても長い名前… +0 online/, 'the long name cut to its column by width');

  up.tmux.keys('f', 'c', 'r', 'a', 's', 'h', 'Enter');
  await up.tmux.waitScreen((s) => /1–1 of 1 \(60 in all\) · filter: crash/.test(s), 'filtered');
  up.tmux.keys('i');
  await up.tmux.waitScreen((s) => /DETAIL crasher:0/.test(s) && /exited with code 1; restarting in \d+ ms/.test(s), 'the detail panel with the crash history', 30_000);
  // Two ESCs sent at once arrive as one key (ESC ESC reads as meta-ESC): one at a time.
  up.tmux.keys('Escape');
  await up.tmux.waitScreen((s) => !/DETAIL/.test(s), 'the detail panel closed');
  up.tmux.keys('Escape');
  await up.tmux.waitScreen((s) => /1–15 of 60/.test(s), 'the filter cleared');
  await up.tmux.waitScreen((s) => /crasher +│ · exited with code 1; restarting in \d+ ms/.test(s) || /crasher +│ · starting/.test(s), 'a lifecycle line in the pane', 30_000);

  up.tmux.keys('o');
  await up.tmux.waitScreen((s) => /sort: status/.test(s), 'sorted by status');
  up.tmux.keys('o', 'o', 'o', 'o');
  await up.tmux.waitScreen((s) => /1–15 of 60$/m.test(s), 'back to the config order');

  // A click on the fourth row of the table (screen row 6: header, title, then rows from 3).
  up.tmux.run('send-keys', '-t', 'main', '-l', '\x1b[<0;20;6M\x1b[<0;20;6m');
  await up.tmux.waitScreen((s) => /flood-3/.test(selected(s)), 'the clicked row selected');

  up.tmux.keys('p');
  const paused = await up.tmux.waitScreen((s) => /LOGS all apps · paused/.test(s), 'paused');
  const pane = (screen: string): string => screen.split('\n').slice(18, -1).join('\n');
  const later = await up.tmux.waitScreen((s) => /LOGS all apps · paused/.test(s) && /up \d+s/.test(s.split('\n')[0] ?? '') && s.split('\n')[0] !== paused.split('\n')[0], 'a later frame');
  t.is(pane(later), pane(paused), 'the paused pane holds still under the flood');

  up.tmux.keys('q');
  await up.tmux.waitScreen((s) => /Quit\? s = stop everything/.test(s), 'q asks');
  up.tmux.keys('Escape');
  await up.tmux.waitScreen((s) => /cancelled: still running/.test(s), 'cancelled');
  up.tmux.keys('q', 's');
  await up.tmux.waitScreen((s) => /node-unit exited with 0/.test(s), 'everything stopped', 60_000);
});
