import path from 'node:path';
import test from 'ava';
import { connectControl } from '../../src/control/client.js';
import { controlSocketPath } from '../../src/control/paths.js';
import { CLI } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { cli, FOREVER, freePort, join, nodes, pids, up } from '../plugins/federation/mesh-nodes.js';
import { Tmux } from './tmux.js';
import { alive } from './up-terminal.js';

/**
 * The cluster on the master's screen: a master in a real terminal (tmux, 100×30) and two workers, each a
 * separate `node-unit up` in its own folder on 127.0.0.1.
 */

/** The row of app:index on a node, whether the table shows `#` or NAME as `app:index`. */
const row = (screen: string, node: string, app: string, index = 0): string => screen.split('\n').find((line) => new RegExp(`^[ ›] ${node}\\s+${app}(\\s+${index}|:${index})\\s`).test(line)) ?? '';

test('the master\'s view shows the workers\' apps by node, restarts a remote app with r, and shows their lines in the merged pane and a killed worker offline with its apps unknown', async (t) => {
  t.timeout(150_000, 'three supervisors and a terminal on a loaded machine');
  Tmux.check();
  const port = await freePort();
  const master = tempDir('nu-view-m-');
  writeFiles(master, {
    'ecosystem.config.ts': `import { defineConfig } from 'node-unit';
import { federation } from 'node-unit/federation';
export default defineConfig({ apps: [{ name: 'api', script: ${FOREVER} }], plugins: [federation({ listen: '127.0.0.1:${port}', name: 'hub', limits: { pingEveryMs: 500 } })] });
`,
  });
  const nasDir = tempDir('nu-view-nas-');
  writeFiles(nasDir, { 'ecosystem.config.cjs': `const { federation } = require('node-unit/federation');\nmodule.exports = { apps: [{ name: 'db', script: ${FOREVER} }], plugins: [federation({ name: 'nas' })] };\n` });
  const piDir = tempDir('nu-view-pi-');
  writeFiles(piDir, { 'ecosystem.config.cjs': `const { federation } = require('node-unit/federation');\nmodule.exports = { apps: [{ name: 'sensor', script: ${FOREVER}, instances: 2 }], plugins: [federation({ name: 'pi' })] };\n` });

  const tmux = new Tmux();
  t.teardown(() => tmux.kill());
  tmux.start(`env -u CI node ${CLI} up; echo "node-unit exited with $?"; sleep 60`, { cwd: master, columns: 100, rows: 30 });
  const client = await waitFor(() => connectControl(controlSocketPath(path.join(master, '.node-unit'))).catch(() => undefined), { timeoutMs: 20_000, what: 'the master\'s control socket' });
  t.teardown(() => client.close());
  const { pid } = await client.hello();
  t.teardown(async () => {
    tmux.kill();
    await waitFor(() => !alive(pid), { timeoutMs: 30_000, what: `the master ${pid} to exit once its terminal closed` });
  });
  await up(t, nasDir);
  const pi = await up(t, piDir);
  join((await cli(['invite', '--name', 'nas'], master)).trim(), nasDir);
  join((await cli(['invite', '--name', 'pi'], master)).trim(), piDir);
  await waitFor(async () => (await nodes(master)).filter((n) => n.state === 'online').length === 2, { timeoutMs: 20_000, what: 'both workers online' });

  const [dbPid] = await pids(nasDir);
  const cluster = await tmux.waitScreen((s) => /online/.test(row(s, 'pi', 'sensor', 1)) && row(s, 'nas', 'db').includes(String(dbPid)), 'the workers\' apps on the master\'s screen');
  t.log(`the cluster:\n${cluster}`);
  t.regex(row(cluster, 'hub', 'api'), /online/);
  t.regex(cluster, /3 nodes/);

  tmux.keys('j', 'r');
  const restarted = await tmux.waitScreen((s) => /restarted db on nas/.test(s), 'the remote restart\'s outcome');
  t.log(`after r on nas/db:\n${restarted}`);
  const [newPid] = await waitFor(async () => {
    const now = await pids(nasDir);
    return now[0] !== dbPid && now[0] !== -1 ? now : undefined;
  }, { timeoutMs: 20_000, what: 'db to run under a new pid on nas' });
  const logs = await tmux.waitScreen((s) => row(s, 'nas', 'db').includes(String(newPid)) && new RegExp(`nas/db\\s*│ forever started pid=${newPid} `).test(s), 'the new pid and its line in the merged pane');
  t.log(`db restarted on nas, its line in the merged pane:\n${logs}`);
  t.regex(logs, new RegExp(`nas/db\\s*│ forever started pid=${dbPid} `), 'the tail from before the restart');

  tmux.keys('i');
  const detail = await tmux.waitScreen((s) => /DETAIL/.test(s) && s.includes('on nas, asked through the master') && /cwd\s+\S*nu-view-nas-/.test(s), 'the detail of nas/db, asked of nas');
  t.log(`i on nas/db:\n${detail}`);
  tmux.keys('Escape');
  await tmux.waitScreen((s) => !/DETAIL/.test(s), 'the detail closed');
  const before = await tmux.waitScreen((s) => /\d+ online/.test(s.split('\n')[0] ?? ''), 'the header');
  t.regex(before.split('\n')[0] ?? '', /4 online/, 'the header counts the apps of every node: api, db and two sensors');
  tmux.keys('R');
  const asked = await tmux.waitScreen((s) => /Restart ALL processes — y = on hub only \(this node\) · a = on all 3 nodes/.test(s), 'R asks where');
  t.log(`R on the master:\n${asked}`);
  tmux.keys('a');
  const all = await tmux.waitScreen((s) => /restarted all on 3 nodes: hub, nas, pi/.test(s), 'the restart of every node');
  t.log(`a: every node:\n${all}`);
  await waitFor(async () => {
    const now = await pids(nasDir);
    return now[0] !== newPid && now[0] !== -1 ? now : undefined;
  }, { timeoutMs: 20_000, what: 'db restarted again on nas, by R a' });

  tmux.keys('d');
  const panel = await tmux.waitScreen((s) => /NODES/.test(s) && /pi\s+online\s+rtt/.test(s), 'the nodes panel');
  t.log(`the nodes panel:\n${panel}`);
  t.regex(panel, /nas\s+online\s+rtt \d+ ms/);

  pi.child.kill('SIGKILL');
  await pi.exited;
  const away = await tmux.waitScreen((s) => /unknown/.test(row(s, 'pi', 'sensor')) && /unknown/.test(row(s, 'pi', 'sensor', 1)) && /pi\s+offline/.test(s), 'pi offline, its apps unknown', 15_000);
  t.log(`pi killed:\n${away}`);
  t.regex(away, /3 nodes, 1 offline/);
  t.regex(row(away, 'nas', 'db'), /online/);
});
