import fs from 'node:fs';
import test from 'ava';
import { PROJECT_ROOT } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { Tmux } from './tmux.js';

/** Alive unless gone or a zombie (a zombie still answers kill -0). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function pidsOnScreen(screen: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const match of screen.matchAll(/^[› ] (\S+) +(\d+) online +(\d+) /gm)) pids.set(`${match[1]}:${match[2]}`, Number(match[3]));
  return pids;
}

test('the example in a real terminal: apps go online, r restarts, / searches, q then s stops everything', async (t) => {
  Tmux.check();
  const tmux = new Tmux();
  t.teardown(() => tmux.kill());
  // CI=true would make Ink print only its last frame.
  tmux.start('env -u CI node bin/node-unit.js up --config ecosystem.example.ts; echo "node-unit exited with $?"; sleep 60', { cwd: PROJECT_ROOT, columns: 120, rows: 40 });

  const online = await tmux.waitScreen((s) => pidsOnScreen(s).size === 5 && /seed +0 exited .*exit code 0/.test(s), 'api, worker, flaky and both tickers online, seed done');
  const pids = pidsOnScreen(online);
  t.regex(online, /LOGS all apps · follow/);
  // Lifecycle lines share the pane with the apps' output: api's first line may have scrolled away already.
  t.regex(online, /api +│ (api listening on http:\/\/127\.0\.0\.1:3917|GET \/)/);
  // The worker logs a job a second: the search below needs one from before the restart.
  await tmux.waitScreen((s) => /worker +│ .*job \d+ on emails/.test(s), 'a job line from the worker');

  tmux.keys('j');
  await tmux.waitScreen((s) => /^› worker/m.test(s), 'worker selected');
  tmux.keys('r');
  const restarted = await tmux.waitScreen((s) => /restarted worker/.test(s) && (pidsOnScreen(s).get('worker:0') ?? pids.get('worker:0')) !== pids.get('worker:0'), 'worker restarted with a new pid');
  const worker = pidsOnScreen(restarted).get('worker:0');
  t.truthy(worker);
  if (worker) pids.set('worker:0#2', worker);

  tmux.keys('/', 'j', 'o', 'b', 'Enter');
  const searched = await tmux.waitScreen((s) => /LOGS all apps · paused.* · \/job\//.test(s), 'the search in the log title');
  t.regex(searched, /worker +│ .*job \d+ on emails/);
  t.regex(tmux.screen({ escapes: true }), /\x1b\[[0-9;]*4[36]m[^\x1b]*job/, 'the match is highlighted');

  tmux.keys('q');
  await tmux.waitScreen((s) => /Quit\? s = stop everything/.test(s), 'the question');
  tmux.keys('s');
  await tmux.waitScreen((s) => /node-unit exited with 0/.test(s), 'node-unit exits 0', 30_000);
  const left = await waitFor(() => ([...pids.values()].every((pid) => !alive(pid)) ? 'none' : undefined), { timeoutMs: 5000, what: 'every app process gone' }).catch(() => [...pids].filter(([, pid]) => alive(pid)).map(([id, pid]) => `${id} (${pid})`).join(', '));
  t.is(left, 'none');
  t.regex(tmux.screen(), /node-unit \| stopping everything \(q in the view\)/);
});
