import path from 'node:path';
import test from 'ava';
import { CLI } from '../helpers/cli.js';
import { cjsConfig, upProject } from '../helpers/control.js';
import { FIXTURES } from '../helpers/tmp.js';
import { Tmux } from './tmux.js';

test('attach shows the running supervisor in a terminal; q q detaches, says what still runs, and leaves everything running', async (t) => {
  Tmux.check();
  const project = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([{ name: 'steady', script: path.join(FIXTURES, 'procs', 'forever.js') }]) });
  const online = await project.status('steady:0', 'online');
  const pid = online.state.status === 'online' ? online.state.pid : 0;
  const tmux = new Tmux();
  t.teardown(() => tmux.kill());
  tmux.start(`env -u CI node ${CLI} attach; echo "attach exited with $?"; sleep 60`, { cwd: project.dir, columns: 100, rows: 30 });
  await tmux.waitScreen((s) => new RegExp(`steady +0 online +${pid}`).test(s), 'steady online in the table');
  tmux.keys('q');
  await tmux.waitScreen((s) => /Leave\? d = detach/.test(s), 'the question');
  tmux.keys('q');
  const after = await tmux.waitScreen((s) => /attach exited with 0/.test(s), 'attach to exit 0');
  t.regex(after, /detached from .*: 1 of 1 instance\(s\) still running \(steady\)/);
  const steady = (await project.client.list()).find((info) => info.id === 'steady:0');
  t.is(steady?.state.status, 'online');
  t.is(steady?.state.status === 'online' ? steady.state.pid : 0, pid);
});

test('attach exits 1 and says so when its supervisor stops', async (t) => {
  Tmux.check();
  const project = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([{ name: 'steady', script: path.join(FIXTURES, 'procs', 'forever.js') }]) });
  await project.status('steady:0', 'online');
  const tmux = new Tmux();
  t.teardown(() => tmux.kill());
  tmux.start(`env -u CI node ${CLI} attach; echo "attach exited with $?"; sleep 60`, { cwd: project.dir, columns: 100, rows: 30 });
  await tmux.waitScreen((s) => /steady +0 online/.test(s), 'steady online in the table');
  await project.client.shutdown('test');
  const screen = await tmux.waitScreen((s) => /attach exited with 1/.test(s), 'attach to exit 1');
  t.regex(screen, /the supervisor of .* stopped; nothing of it is running any more/);
});
