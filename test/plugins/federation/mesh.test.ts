import { spawn } from 'node:child_process';
import test from 'ava';
import { CLI } from '../../helpers/cli.js';
import { tempDir, writeFiles } from '../../helpers/tmp.js';
import type { UpProcess } from '../../helpers/up.js';
import { waitFor } from '../../helpers/wait.js';
import { cli, FOREVER, freePort, join, nodes, pids, up } from './mesh-nodes.js';

/**
 * A real mesh: a master and two workers, each a separate `node-unit up` with its own folder and its own
 * config format, on 127.0.0.1.
 */

function folders(port: number): { master: string; nas: string; pi: string } {
  const master = tempDir('nu-mesh-m-');
  writeFiles(master, {
    'ecosystem.config.ts': `import { defineConfig } from 'node-unit';
import { federation } from 'node-unit/federation';
export default defineConfig({ apps: [{ name: 'api', script: ${FOREVER} }], plugins: [federation({ listen: '127.0.0.1:${port}', name: 'hub', limits: { pingEveryMs: 500 } })] });
`,
  });
  const nas = tempDir('nu-mesh-nas-');
  writeFiles(nas, {
    'ecosystem.config.mjs': `import { federation } from 'node-unit/federation';
export default { apps: [{ name: 'db', script: ${FOREVER} }], plugins: [federation({ name: 'nas', labels: { disk: 'big' } })] };
`,
  });
  const pi = tempDir('nu-mesh-pi-');
  writeFiles(pi, {
    'ecosystem.config.cjs': `const { federation } = require('node-unit/federation');
module.exports = { apps: [{ name: 'sensor', script: ${FOREVER}, instances: 2 }], plugins: [federation({})] };
`,
  });
  return { master, nas, pi };
}

test('invite → join → online with an RTT → ls on all nodes → master restart keeps worker pids → SIGKILL is offline → revoke', async (t) => {
  t.timeout(120_000, 'three supervisors on a loaded machine');
  const port = await freePort();
  const dirs = folders(port);
  const first = await up(t, dirs.master);
  const nas = await up(t, dirs.nas);
  const pi = await up(t, dirs.pi);

  const nasToken = (await cli(['invite', '--name', 'nas', '--labels', 'disk=big'], dirs.master)).trim();
  t.regex(nasToken, /^nu1\.[A-Za-z0-9_-]+$/);
  t.is(join(nasToken, dirs.nas).trim(), (await cli(['id'], dirs.nas)).trim());
  join((await cli(['invite', '--name', 'pi'], dirs.master)).trim(), dirs.pi);

  const online = await waitFor(async () => {
    const views = await nodes(dirs.master);
    return views.length === 2 && views.every((n) => n.state === 'online' && n.rttMs !== undefined && n.apps !== undefined) ? views : undefined;
  }, { timeoutMs: 15_000, what: 'both workers online with an RTT' });
  t.deepEqual(online.map((n) => [n.name, n.apps, n.labels]), [['nas', 1, { disk: 'big' }], ['pi', 2, {}]]);

  const ls = await cli(['ls', '--node', 'all'], dirs.master);
  t.regex(ls, /^NODE\s+ID\s+NAMESPACE\s+STATUS\s+PID/);
  for (const row of [/\nhub\s+api:0\s+default\s+online\s+\d+/, /\nnas\s+db:0\s+default\s+online\s+\d+/, /\npi\s+sensor:0\s+default\s+online\s+\d+/, /\npi\s+sensor:1\s+default\s+online\s+\d+/]) t.regex(ls, row);
  const piOnly = JSON.parse(await cli(['ls', '--node', 'pi', '--json'], dirs.master)) as { node: string; id: string }[];
  t.deepEqual(piOnly.map((r) => [r.node, r.id]), [['pi', 'sensor:0'], ['pi', 'sensor:1']]);

  const before = { nas: await pids(dirs.nas), pi: await pids(dirs.pi) };
  // A follow of every node, kept across the master's restart.
  const follow = spawn(process.execPath, [CLI, 'logs', '-f', '--node', 'all'], { cwd: dirs.master, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let followed = '';
  follow.stdout.setEncoding('utf8').on('data', (chunk: string) => (followed += chunk));
  follow.stderr.setEncoding('utf8').on('data', (chunk: string) => (followed += chunk));
  const followExit = new Promise<number | null>((resolve) => follow.once('exit', (code) => resolve(code)));
  t.teardown(() => follow.kill('SIGKILL'));
  const dbStarted = `nas/db:0 | forever started pid=${before.nas[0]} `;
  await waitFor(() => followed.includes(dbStarted) && /^pi\/sensor:1 \| forever started/m.test(followed), { timeoutMs: 15_000, what: `the tails in:\n${followed}` });
  first.child.kill('SIGTERM');
  await first.exited;
  await up(t, dirs.master);
  const restarted = performance.now();
  const connections = (proc: UpProcess): number => proc.output().split('\n').filter((line) => /federation: connected to master hub/.test(line)).length;
  await waitFor(() => connections(nas) >= 2 && connections(pi) >= 2, { timeoutMs: 5000, what: 'both workers back within 5 s of the master' });
  t.true(performance.now() - restarted < 5000);
  await waitFor(async () => (await nodes(dirs.master)).filter((n) => n.state === 'online').length === 2, { what: 'both online' });
  t.deepEqual({ nas: await pids(dirs.nas), pi: await pids(dirs.pi) }, before);
  await waitFor(() => followed.includes('following again once it and its nodes are back'), { what: 'the follow to notice the restart' });
  await cli(['restart', 'db', '--node', 'nas'], dirs.master);
  const [restartedDb] = await pids(dirs.nas);
  await waitFor(() => followed.includes(`nas/db:0 | forever started pid=${restartedDb} `), { timeoutMs: 15_000, what: `the follow to go on after the master restart:\n${followed}` });
  t.is(followed.split(dbStarted).length - 1, 1, 'the tail of the reopened follow shows no line twice');
  follow.kill('SIGINT');
  t.is(await followExit, 0);

  pi.child.kill('SIGKILL');
  await pi.exited;
  const killed = await waitFor(async () => (await nodes(dirs.master)).find((n) => n.name === 'pi' && n.state === 'offline'), { timeoutMs: 3000, what: 'pi offline' });
  t.is(killed.state, 'offline');

  await cli(['revoke', 'nas'], dirs.master);
  const revokedAt = performance.now();
  await nas.waitForLine(/federation: session ended: socket closed \(4401 revoked\)/, 2000);
  t.true(performance.now() - revokedAt < 1500);
  t.false((await nodes(dirs.master)).some((n) => n.name === 'nas'));
  await nas.waitForLine(/federation: .*closed the connection during the handshake \(4401/, 10_000);
});
