import { spawn } from 'node:child_process';
import path from 'node:path';
import test from 'ava';
import { readChain } from '../../../plugins/federation/audit-verify.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { tempDir, writeFiles } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';
import { cli, FOREVER, freePort, IGNORE_TERM, join, nodes, up } from './mesh-nodes.js';

/**
 * Every verb on any node, from the master's CLI: a master and three workers, each a separate `node-unit up`
 * on 127.0.0.1. nas and box carry disk=big; box trusts its master with reads only; pi runs an app that takes
 * seconds to stop, so a restart is still in flight when pi is killed.
 */

interface Outcome {
  readonly node: string;
  readonly status: string;
  readonly result?: { readonly ok?: boolean; readonly instances?: readonly unknown[] };
  readonly message?: string;
}

function folders(port: number): Readonly<Record<'hub' | 'nas' | 'pi' | 'box', string>> {
  const config = (apps: string, plugin: string): Record<string, string> => ({ 'ecosystem.config.cjs': `const { federation } = require('node-unit/federation');\nmodule.exports = { apps: ${apps}, plugins: [federation(${plugin})] };\n` });
  const made = { hub: tempDir('nu-rv-hub-'), nas: tempDir('nu-rv-nas-'), pi: tempDir('nu-rv-pi-'), box: tempDir('nu-rv-box-') };
  writeFiles(made.hub, config(`[{ name: 'api', script: ${FOREVER} }]`, `{ listen: '127.0.0.1:${port}', name: 'hub', limits: { pingEveryMs: 500 } }`));
  writeFiles(made.nas, config(`[{ name: 'db', script: ${FOREVER}, instances: 2 }]`, `{ name: 'nas' }`));
  writeFiles(made.pi, config(`[{ name: 'slow', script: ${IGNORE_TERM}, kill_timeout: 8000 }]`, `{ name: 'pi' }`));
  writeFiles(made.box, config(`[{ name: 'web', script: ${FOREVER} }]`, `{ name: 'box', trust: { verbs: ['ls', 'describe'] } }`));
  return made;
}

/** The CLI's exit code and what it printed as JSON. */
async function run(args: readonly string[], cwd: string): Promise<{ readonly code: number | null; readonly outcomes: readonly Outcome[]; readonly stderr: string }> {
  const result = await runCli([...args, '--json'], { cwd, timeoutMs: 60_000 });
  if (result.stdout.trim() === '') throw new Error(`node-unit ${args.join(' ')} printed nothing (exit ${result.code}): ${result.stderr}`);
  const outcomes = JSON.parse(result.stdout) as Outcome[];
  return { code: result.code, outcomes, stderr: result.stderr };
}

const byNode = (outcomes: readonly Outcome[]): Record<string, string> => Object.fromEntries(outcomes.map((o) => [o.node, o.status]));

async function pidsOf(cwd: string, app: string): Promise<readonly number[]> {
  const list = JSON.parse(await cli(['ls', '--json'], cwd)) as { id: string; status: string; pid: number | null }[];
  return list.filter((row) => row.id.startsWith(`${app}:`)).map((row) => row.pid ?? -1);
}

test('every verb with --node name, label=value and all; policy refusals, replayed command ids, a worker killed mid-restart', async (t) => {
  t.timeout(240_000, 'four supervisors on a loaded machine');
  const port = await freePort();
  const dirs = folders(port);
  await up(t, dirs.hub);
  const [, , pi] = await Promise.all([up(t, dirs.nas), up(t, dirs.box), up(t, dirs.pi)]);
  join((await cli(['invite', '--name', 'nas', '--labels', 'disk=big'], dirs.hub)).trim(), dirs.nas);
  join((await cli(['invite', '--name', 'box', '--labels', 'disk=big'], dirs.hub)).trim(), dirs.box);
  join((await cli(['invite', '--name', 'pi', '--labels', 'disk=small'], dirs.hub)).trim(), dirs.pi);
  await waitFor(async () => (await nodes(dirs.hub)).filter((n) => n.state === 'online' && n.apps !== undefined).length === 3, { timeoutMs: 20_000, what: 'three workers online' });

  // --node name: each verb reaches nas's own Controller.
  const describe = await run(['describe', 'db', '--node', 'nas'], dirs.hub);
  t.is(describe.code, 0, describe.stderr);
  t.deepEqual(describe.outcomes.map((o) => [o.node, o.status, o.result?.instances?.length]), [['nas', 'ok', 2]]);
  const describeText = await cli(['describe', 'db:1', '--node', 'nas'], dirs.hub);
  t.regex(describeText, /^nas\s*\ndb:1\n\s+status\s+online/);
  const before = await pidsOf(dirs.nas, 'db');
  t.regex(await cli(['restart', 'db:0', '--node', 'nas'], dirs.hub), /^nas\s+restarted db:0\n$/);
  const restarted = await pidsOf(dirs.nas, 'db');
  t.not(restarted[0], before[0]);
  t.is(restarted[1], before[1]);
  t.like((await run(['stop', 'db', '--node', 'nas'], dirs.hub)).outcomes, [{ node: 'nas', status: 'ok', result: { ok: true, instances: ['db:0', 'db:1'] } }]);
  t.deepEqual(await pidsOf(dirs.nas, 'db'), [-1, -1]);
  t.like((await run(['start', 'db', '--node', 'nas'], dirs.hub)).outcomes, [{ node: 'nas', status: 'ok' }]);
  // SIGWINCH: a signal forever.js lives through (SIGUSR2 would end it, and the reload below would race its restart).
  const signalled = await pidsOf(dirs.nas, 'db');
  t.like((await run(['signal', 'SIGWINCH', 'db', '--node', 'nas'], dirs.hub)).outcomes, [{ node: 'nas', status: 'ok', result: { instances: ['db:0', 'db:1'] } }]);
  t.deepEqual(await pidsOf(dirs.nas, 'db'), signalled);
  t.like((await run(['flush', 'db', '--node', 'nas'], dirs.hub)).outcomes, [{ node: 'nas', status: 'ok' }]);
  t.like((await run(['reload', 'db', '--node', 'nas'], dirs.hub)).outcomes, [{ node: 'nas', status: 'ok', result: { ok: true } }]);
  const unknownApp = await run(['restart', 'ghost', '--node', 'nas'], dirs.hub);
  t.is(unknownApp.code, 1);
  t.like(unknownApp.outcomes, [{ node: 'nas', status: 'failed' }]);
  t.regex(unknownApp.outcomes[0]?.message ?? '', /ghost/);

  // logs --node: every node's recent lines merged by time, each named node/app:N; a node refusing is named on stderr.
  const tail = await cli(['logs', 'db', '--node', 'nas', '--lines', '50'], dirs.hub);
  t.regex(tail, /^nas\/db:1 \| forever started pid=\d+ instance=1$/m);
  const tails = await runCli(['logs', '--node', 'all', '--lines', '50'], { cwd: dirs.hub });
  t.is(tails.code, 1);
  for (const line of [/^hub\/api:0 \| forever started/m, /^nas\/db:0 \| forever started/m, /^pi\/slow:0 \| ignore-term started/m]) t.regex(tails.stdout, line);
  t.regex(tails.stderr, /^box\s+refused node "box" refused logs: allowed verbs are ls, describe/m);

  // --node label=value: nas and box carry disk=big; box's policy allows reads only, so it refuses by name and rule.
  const labelled = await run(['restart', 'all', '--node', 'disk=big'], dirs.hub);
  t.is(labelled.code, 1);
  t.deepEqual(byNode(labelled.outcomes), { nas: 'ok', box: 'refused' });
  t.regex(labelled.outcomes.find((o) => o.node === 'box')?.message ?? '', /node "box" refused restart all: allowed verbs are ls, describe \(rule trust\.verbs\)/);
  t.like((await run(['describe', 'web', '--node', 'disk=big'], dirs.hub)).outcomes, [{ node: 'nas', status: 'failed' }, { node: 'box', status: 'ok' }]);
  const lsBig = JSON.parse(await cli(['ls', '--node', 'disk=big', '--json'], dirs.hub)) as { node: string; id: string }[];
  t.deepEqual(lsBig.map((r) => `${r.id}@${r.node}`).sort(), ['db:0@nas', 'db:1@nas', 'web:0@box']);

  // The other verbs with label=value and all: one outcome per node, each by name.
  const cases: readonly (readonly [readonly string[], Record<string, string>])[] = [
    [['stop', 'db', '--node', 'disk=big'], { nas: 'ok', box: 'refused' }],
    [['start', 'db', '--node', 'disk=big'], { nas: 'ok', box: 'refused' }],
    [['signal', 'SIGWINCH', 'all', '--node', 'disk=big'], { nas: 'ok', box: 'refused' }],
    [['flush', 'all', '--node', 'all'], { hub: 'ok', nas: 'ok', box: 'refused', pi: 'ok' }],
    [['reload', 'db', '--node', 'all'], { hub: 'failed', nas: 'ok', box: 'refused', pi: 'failed' }],
    [['describe', 'all', '--node', 'all'], { hub: 'ok', nas: 'ok', box: 'ok', pi: 'ok' }],
    [['start', 'all', '--node', 'all'], { hub: 'ok', nas: 'ok', box: 'refused', pi: 'ok' }],
  ];
  for (const [args, expected] of cases) {
    const outcome = await run(args, dirs.hub);
    t.deepEqual(byNode(outcome.outcomes), expected, args.join(' '));
    t.is(outcome.code, Object.values(expected).every((status) => status === 'ok') ? 0 : 1, args.join(' '));
  }

  // A worker denying a verb: nothing runs there, the text names the node and the rule, exit 1.
  const webBefore = await pidsOf(dirs.box, 'web');
  const denied = await runCli(['stop', 'web', '--node', 'box'], { cwd: dirs.hub });
  t.is(denied.code, 1);
  t.regex(denied.stdout, /^box\s+refused node "box" refused stop web: .*\(rule trust\.verbs\)/);
  t.deepEqual(await pidsOf(dirs.box, 'web'), webBefore);

  // A replayed command id: the worker answers with the recorded result and restarts nothing.
  const first = await run(['restart', 'db:1', '--node', 'nas', '--command-id', 'deploy-42'], dirs.hub);
  t.is(first.code, 0);
  const afterFirst = await pidsOf(dirs.nas, 'db');
  const replay = await run(['restart', 'db:1', '--node', 'nas', '--command-id', 'deploy-42'], dirs.hub);
  t.is(replay.code, 0);
  t.deepEqual(replay.outcomes, first.outcomes);
  t.deepEqual(await pidsOf(dirs.nas, 'db'), afterFirst, 'the replay restarted nothing');
  const workerChain = readChain(path.join(dirs.nas, '.node-unit', 'federation'));
  t.true(workerChain.verdict.ok);
  t.like(workerChain.entries.at(-1), { node: 'nas', verb: 'restart', target: 'db:1', result: 'replayed' });
  const masterChain = readChain(path.join(dirs.hub, '.node-unit', 'federation'));
  t.true(masterChain.verdict.ok);
  t.true(masterChain.entries.some((e) => e.node === 'box' && e.verb === 'restart' && e.result === 'refused'));
  t.like(masterChain.entries.at(-1), { node: 'nas', verb: 'restart', result: 'ok', detail: 'command deploy-42' });

  // logs -f --node all: the tails, then live lines of every node, named node/app:N; box refuses and is named.
  const follow = spawn(process.execPath, [CLI, 'logs', '-f', '--node', 'all', '--lines', '5'], { cwd: dirs.hub, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let followed = '';
  let followErr = '';
  follow.stdout.setEncoding('utf8').on('data', (chunk: string) => (followed += chunk));
  follow.stderr.setEncoding('utf8').on('data', (chunk: string) => (followErr += chunk));
  const followExit = new Promise<number | null>((resolve) => follow.once('exit', (code) => resolve(code)));
  t.teardown(() => follow.kill('SIGKILL'));
  await waitFor(() => /^nas\/db:1 \| /m.test(followed) && /^pi\/slow:0 \| /m.test(followed), { timeoutMs: 15_000, what: `the tails in:\n${followed}${followErr}` });
  await cli(['restart', 'db:0', '--node', 'nas'], dirs.hub);
  const [newPid] = await pidsOf(dirs.nas, 'db');
  await waitFor(() => followed.includes(`nas/db:0 | forever started pid=${newPid} instance=0`), { timeoutMs: 15_000, what: `the restarted process followed live in:\n${followed}` });
  t.is(followed.split('\n').filter((line) => line.includes(`pid=${newPid} `)).length, 1, 'no line twice across tail and follow');
  t.regex(followErr, /^box\s+refused node "box" refused logs/m);
  follow.kill('SIGINT');
  t.is(await followExit, 1, 'a node refused, so the follow ends with 1');

  // --node all, with pi killed while its restart is in flight: per-node outcomes, pi unknown, exit 1.
  const restartAll = run(['restart', 'all', '--node', 'all'], dirs.hub);
  await waitFor(async () => (JSON.parse(await cli(['ls', '--json'], dirs.pi)) as { status: string }[]).some((row) => row.status === 'stopping'), { timeoutMs: 20_000, what: "pi's restart in flight (slow stopping)" });
  pi.child.kill('SIGKILL');
  const all = await restartAll;
  t.is(all.code, 1);
  t.deepEqual(byNode(all.outcomes), { hub: 'ok', nas: 'ok', box: 'refused', pi: 'unknown' });
  t.regex(all.outcomes.find((o) => o.node === 'pi')?.message ?? '', /link to node "pi" dropped while restart ran .* outcome is unknown and it was not resent/);
  const offline = await run(['restart', 'slow', '--node', 'pi'], dirs.hub);
  t.like(offline.outcomes, [{ node: 'pi', status: 'unreachable' }]);
  t.regex(offline.outcomes[0]?.message ?? '', /node "pi" is offline.*nothing was sent/);
  t.is(offline.code, 1);
});
