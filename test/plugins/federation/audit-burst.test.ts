import path from 'node:path';
import test from 'ava';
import { readChain } from '../../../plugins/federation/audit-verify.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir, writeFiles } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';
import { cli, FOREVER, freePort, join, nodes, up } from './mesh-nodes.js';

/**
 * The audit log is written after the replies, never lost: a burst of remote commands from parallel CLIs,
 * then the worker killed with SIGKILL and the master stopped with SIGTERM. Both chains hold every entry and
 * verify, and the killed worker, started again, goes on chaining from where it was.
 */

const BURST = 12;

function folders(port: number): { readonly hub: string; readonly nas: string } {
  const config = (plugin: string): Record<string, string> => ({ 'ecosystem.config.cjs': `const { federation } = require('node-unit/federation');\nmodule.exports = { apps: [{ name: 'api', script: ${FOREVER} }], plugins: [federation(${plugin})] };\n` });
  const made = { hub: tempDir('nu-ab-hub-'), nas: tempDir('nu-ab-nas-') };
  writeFiles(made.hub, config(`{ listen: '127.0.0.1:${port}', name: 'hub' }`));
  writeFiles(made.nas, config(`{ name: 'nas' }`));
  return made;
}

const chainOf = (dir: string): ReturnType<typeof readChain> => readChain(path.join(dir, '.node-unit', 'federation'));

async function remote(verb: readonly string[], cwd: string): Promise<string> {
  const result = await runCli([...verb, '--node', 'nas', '--json'], { cwd, timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`node-unit ${verb.join(' ')} --node nas exited ${result.code}: ${result.stdout}${result.stderr}`);
  return result.stdout;
}

test('a burst of remote commands, a SIGKILLed worker and a stopped master: every entry is chained on both sides', async (t) => {
  t.timeout(120_000, 'two supervisors and a dozen CLIs on a loaded machine');
  const dirs = folders(await freePort());
  const hub = await up(t, dirs.hub);
  const nas = await up(t, dirs.nas);
  join((await cli(['invite', '--name', 'nas'], dirs.hub)).trim(), dirs.nas);
  const online = async (): Promise<boolean> => (await nodes(dirs.hub)).some((n) => n.name === 'nas' && n.state === 'online' && n.apps !== undefined);
  await waitFor(online, { timeoutMs: 20_000, what: 'nas online' });

  // Parallel CLIs: commands reach the worker back to back, and some entries are written in one batch.
  const verbs = Array.from({ length: BURST }, (_, i) => (i % 4 === 3 ? ['restart', 'api'] : ['flush', 'api']));
  await Promise.all(verbs.map((verb) => remote(verb, dirs.hub)));

  // The last replies have arrived: the worker dies at once, with nothing to finish.
  nas.child.kill('SIGKILL');
  await nas.exited;
  const worker = chainOf(dirs.nas);
  t.true(worker.verdict.ok, worker.verdict.ok ? '' : worker.verdict.message);
  t.is(worker.entries.length, BURST);
  t.deepEqual(worker.entries.map((e) => e.verb).sort(), verbs.map(([verb]) => verb ?? '').sort());
  t.true(worker.entries.every((e) => e.node === 'nas' && e.result === 'ok'));

  hub.child.kill('SIGTERM');
  t.like(await hub.exited, { code: 0 });
  const master = chainOf(dirs.hub);
  t.true(master.verdict.ok, master.verdict.ok ? '' : master.verdict.message);
  t.is(master.entries.length, BURST);
  t.true(master.entries.every((e) => e.node === 'nas' && e.result === 'ok' && /^command \S+$/.test(e.detail ?? '')));
  t.is(new Set(master.entries.map((e) => e.detail)).size, BURST, 'one entry per command id');

  // Both nodes again: the worker chains its next entry after the twelve it had.
  await up(t, dirs.hub);
  await up(t, dirs.nas);
  await waitFor(online, { timeoutMs: 30_000, what: 'nas online again' });
  await remote(['flush', 'api'], dirs.hub);
  await waitFor(() => chainOf(dirs.nas).entries.length === BURST + 1, { what: 'the worker entry after the restart' });
  t.like(chainOf(dirs.nas).verdict, { ok: true, entries: BURST + 1 });
  const verify = await runCli(['audit', '--verify'], { cwd: dirs.nas });
  t.is(verify.code, 0, verify.stdout + verify.stderr);
});
