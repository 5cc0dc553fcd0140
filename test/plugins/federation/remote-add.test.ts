import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runCli } from '../../helpers/cli.js';
import { FIXTURES, tempDir, writeFiles } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';
import { cli, FOREVER, freePort, join, nodes, up } from './mesh-nodes.js';

/**
 * `start <script> --node`: the master's CLI sends an app spec; each node checks it against its own trust
 * policy and runs it from its own folders. A master and two workers, each a separate `node-unit up`:
 * nas trusts scripts in one folder, box trusts none.
 */

interface Outcome {
  readonly node: string;
  readonly status: string;
  readonly message?: string;
}

interface Row {
  readonly id: string;
  readonly status: string;
  readonly pid: number | null;
}

function cmdline(pid: number): readonly string[] {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

test('start <script> --node sends an app spec: a trusting node runs it from its folder, another refuses by rule, unsendable flags stop at the CLI', async (t) => {
  t.timeout(180_000, 'three supervisors on a loaded machine');
  const port = await freePort();
  const apps = fs.realpathSync(tempDir('nu-ra-apps-'));
  fs.copyFileSync(path.join(FIXTURES, 'procs', 'forever.js'), path.join(apps, 'server.js'));
  const dirs = { hub: tempDir('nu-ra-hub-'), nas: tempDir('nu-ra-nas-'), box: tempDir('nu-ra-box-') };
  const config = (plugin: string): Record<string, string> => ({ 'ecosystem.config.cjs': `const { federation } = require('node-unit/federation');\nmodule.exports = { apps: [{ name: 'base', script: ${FOREVER} }], plugins: [federation(${plugin})] };\n` });
  writeFiles(dirs.hub, config(`{ listen: '127.0.0.1:${port}', name: 'hub', limits: { pingEveryMs: 500 } }`));
  writeFiles(dirs.nas, config(`{ name: 'nas', trust: { specs: { commands: [${JSON.stringify(`${apps}/*.js`)}], cwds: [${JSON.stringify(apps)}] } } }`));
  writeFiles(dirs.box, config(`{ name: 'box' }`));
  await up(t, dirs.hub);
  await Promise.all([up(t, dirs.nas), up(t, dirs.box)]);
  join((await cli(['invite', '--name', 'nas'], dirs.hub)).trim(), dirs.nas);
  join((await cli(['invite', '--name', 'box'], dirs.hub)).trim(), dirs.box);
  await waitFor(async () => (await nodes(dirs.hub)).filter((n) => n.state === 'online').length === 2, { timeoutMs: 20_000, what: 'two workers online' });

  const unsendable = await runCli(['start', 'server.js', '--node', 'nas', '-i', '2', '--max-memory-restart', '200M'], { cwd: dirs.hub });
  t.is(unsendable.code, 2);
  t.regex(unsendable.stderr, /--instances, --max-memory-restart cannot be sent to another node/);

  const sent = await runCli(['start', 'server.js', '--node', 'all', '--cwd', apps, '--name', 'extra', '--json', '--', '--port', '3000'], { cwd: dirs.hub, timeoutMs: 60_000 });
  t.is(sent.code, 1, 'box refused: the exit code says so (all is every node, the master too)');
  const outcomes = JSON.parse(sent.stdout) as Outcome[];
  t.deepEqual(Object.fromEntries(outcomes.map((o) => [o.node, o.status])), { hub: 'ok', nas: 'ok', box: 'refused' });
  t.regex(outcomes.find((o) => o.node === 'box')?.message ?? '', /node "box" refused to run an app spec sent by the master: .*\(rule trust\.specs\)/);

  const listed = async (cwd: string): Promise<readonly Row[]> => JSON.parse(await cli(['ls', '--json'], cwd)) as Row[];
  const extra = await waitFor(async () => (await listed(dirs.nas)).find((row) => row.id === 'extra:0' && row.status === 'online' && row.pid !== null), { timeoutMs: 20_000, what: 'extra online on nas' });
  t.deepEqual(cmdline(extra.pid ?? 0).slice(-3), [path.join(apps, 'server.js'), '--port', '3000'], 'the script from its real path, with its arguments');
  t.is(fs.realpathSync(`/proc/${extra.pid ?? 0}/cwd`), apps);
  t.deepEqual((await listed(dirs.box)).map((row) => row.id), ['base:0'], 'nothing started on box');

  const named = await runCli(['start', 'server.js', '--node', 'nas', '--cwd', apps], { cwd: dirs.hub, timeoutMs: 60_000 });
  t.is(named.code, 0, named.stderr);
  t.regex(named.stdout, /^nas\s+started server/, 'the name defaults to the script\'s, as pm2 names it');
});
