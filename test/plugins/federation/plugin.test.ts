import fs from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { Plugin, PluginCliContext, PluginCommand } from '../../../src/index.js';
import { PluginHost, type PluginOutput } from '../../../src/plugin/host.js';
import { federation } from '../../../plugins/federation/index.js';
import type { NodeView } from '../../../plugins/federation/master.js';
import { appSpec } from '../../helpers/app.js';
import { harness } from '../../helpers/supervisor.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';

/** The plugin as `up` runs it (a real PluginHost over a real Supervisor), and its CLI commands. */

interface Node {
  readonly plugin: Plugin;
  readonly stateDir: string;
  host: PluginHost | undefined;
  readonly output: PluginOutput[];
}

async function up(t: ExecutionContext, plugin: Plugin, app: string, stateDir = tempDir('nu-fed-p-')): Promise<Node> {
  const { supervisor } = await harness(t, [appSpec({ name: app })]);
  const output: PluginOutput[] = [];
  const host = new PluginHost({ plugins: [plugin], config: { file: 'x', configDir: stateDir, stateDir, profile: undefined, apps: [] }, output: (entry) => output.push(entry) });
  t.teardown(() => host.close());
  await host.start(supervisor);
  t.deepEqual(host.errors, []);
  return { plugin, stateDir, host, output };
}

async function run(node: Node, name: string, args: readonly string[] = [], options: Record<string, string | boolean> = {}, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = node.plugin.commands?.find((c: PluginCommand) => c.name === name);
  if (!command) throw new Error(`no command ${name}`);
  let stdout = '';
  let stderr = '';
  const ctx: PluginCliContext = {
    stateDir: node.stateDir,
    dataDir: path.join(node.stateDir, 'federation'),
    config: { file: 'x', configDir: node.stateDir, stateDir: node.stateDir, profile: undefined, apps: [] },
    args,
    options,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => stdin,
    call: async (method, params) => (node.host ? node.host.callPlugin({ plugin: 'federation', method, params: params ?? null }) : { ok: false, code: 'not_running', message: 'not running' }),
  };
  const code = (await command.run(ctx)) ?? 0;
  return { code, stdout, stderr };
}

test.serial('master and worker as plugins: invite prints only the token, join from stdin, nodes, the remote ls, revoke', async (t) => {
  const master = await up(t, federation({ listen: '127.0.0.1:0', name: 'hub', limits: { pingEveryMs: 100 } }), 'api');
  const worker = await up(t, federation({ name: 'nas' }), 'db');
  const invite = await run(master, 'invite', [], { name: 'nas', labels: 'disk=big' });
  t.is(invite.code, 0);
  t.regex(invite.stdout, /^nu1\.[A-Za-z0-9_-]+\n$/);
  t.regex(invite.stderr, /single use/);
  const joined = await run(worker, 'join', ['-'], {}, invite.stdout);
  t.is(joined.code, 0, joined.stderr);
  const id = await run(worker, 'id');
  t.is(joined.stdout, id.stdout);
  t.regex(id.stdout, /^[A-Z2-7]{7}(-[A-Z2-7]{1,7}){7}\n$/);
  const online = await waitFor(async () => {
    const nodes = JSON.parse((await run(master, 'nodes', [], { json: true })).stdout) as NodeView[];
    return nodes.find((n) => n.name === 'nas' && n.state === 'online' && n.rttMs !== undefined && n.apps === 1);
  }, { what: 'nas online' });
  t.deepEqual(online.labels, { disk: 'big' });
  const table = await run(master, 'nodes');
  t.regex(table.stdout, /^NAME\s+ID\s+ADDRESS\s+STATE\s+SEEN\s+RTT\s+APPS\s+VERSION\nnas\s+\S{7}\s+127\.0\.0\.1\s+online\s+now\s+[\d.]+ms\s+1\s+0\.1\.0\n$/);
  const list = async (node: string): Promise<[string, string, string][]> => {
    const reply = await master.host?.callPlugin({ plugin: 'federation', method: 'list', params: { node } });
    if (!reply?.ok) throw new Error(reply?.message);
    return (reply.value as { node: string; instances: { node: string; id: string; state: { status: string } }[] }[]).flatMap((l) => l.instances.map((i): [string, string, string] => [l.node, i.node, `${i.id} ${i.state.status}`])).sort();
  };
  t.deepEqual(await list('all'), [['hub', 'hub', 'api:0 online'], ['nas', 'nas', 'db:0 online']]);
  t.deepEqual(await list('nas'), [['nas', 'nas', 'db:0 online']]);
  t.deepEqual(await list(online.id), [['nas', 'nas', 'db:0 online']]);
  const revoked = await run(master, 'revoke', ['nas']);
  t.is(revoked.code, 0);
  await waitFor(async () => (JSON.parse((await run(master, 'nodes', [], { json: true })).stdout) as NodeView[]).length === 0, { timeoutMs: 1000, what: 'nas gone' });
  t.false(fs.readFileSync(path.join(master.stateDir, 'federation', 'invites.json'), 'utf8').includes(invite.stdout.trim().slice(4, 30)));
});

test.serial('join works while the worker supervisor is not running; the worker then connects on its own', async (t) => {
  const master = await up(t, federation({ listen: '127.0.0.1:0', name: 'hub' }), 'api');
  const stateDir = tempDir('nu-fed-p-');
  // The invite is bound to this worker's key (`invite --key`, the id the worker prints, in lower case here).
  const workerId = (await run({ plugin: federation({}), stateDir, host: undefined, output: [] }, 'id', [])).stdout.trim();
  const invited = await run(master, 'invite', [], { name: 'later', key: workerId.toLowerCase() });
  t.regex(invited.stderr, new RegExp(`and the key ${workerId} only`));
  const token = invited.stdout;
  const offline: Node = { plugin: federation({}), stateDir, host: undefined, output: [] };
  const joined = await run(offline, 'join', [token.trim()]);
  t.is(joined.code, 0, joined.stderr);
  t.regex(joined.stderr, /shows in the process list/);
  await up(t, federation({}), 'db', stateDir);
  await waitFor(async () => (JSON.parse((await run(master, 'nodes', [], { json: true })).stdout) as NodeView[]).some((n) => n.name === 'later' && n.state === 'online'), { what: 'later online' });
  t.pass();
});

test.serial('commands refuse what does not fit the node: invite on a worker, join on the master, bad flags', async (t) => {
  const stateDir = tempDir('nu-fed-p-');
  const worker: Node = { plugin: federation({ name: 'w' }), stateDir, host: undefined, output: [] };
  const masterNode: Node = { plugin: federation({ listen: '127.0.0.1:7420' }), stateDir: tempDir('nu-fed-p-'), host: undefined, output: [] };
  t.regex((await run(worker, 'invite', [], { name: 'x' })).stderr, /this node is a worker/);
  t.regex((await run(masterNode, 'join', ['nu1.x'])).stderr, /this node is the master/);
  t.regex((await run(masterNode, 'invite', [], {})).stderr, /--name is required/);
  t.regex((await run(masterNode, 'invite', [], { name: 'a', ttl: 'soon' })).stderr, /--ttl: expected a duration/);
  t.regex((await run(masterNode, 'invite', [], { name: 'a', labels: 'oops' })).stderr, /--labels: expected key=value/);
  t.regex((await run(masterNode, 'invite', [], { name: 'a', key: 'ABCDEFG' })).stderr, /--key expects the worker's full fingerprint/);
  t.regex((await run(worker, 'join', ['nu1.AAAA'])).stderr, /join: the invite token is \d+ bytes long/);
  t.regex((await run(masterNode, 'revoke', ['ghost'])).stderr, /no joined node named "ghost"/);
  const offlineInvite = await run(masterNode, 'invite', [], { name: 'a' });
  t.is(offlineInvite.code, 0, 'without a running master the invite is made from the configured address');
});

test.serial('options are checked when the config loads, naming every problem', (t) => {
  const error = t.throws(() => federation({ listen: 'nowhere', labels: 'x' as unknown as Record<string, string>, colour: 'red' } as never));
  t.regex(error.message, /colour: unknown option/);
  t.regex(error.message, /listen: expected "host:port"/);
  t.regex(error.message, /labels: expected an object/);
  t.throws(() => federation({ advertise: 'a:1' }), { message: /advertise: only a master/ });
  t.throws(() => federation({ name: 'no spaces' }), { message: /name: expected letters/ });
  t.notThrows(() => federation({ listen: '[::1]:7420', advertise: 'example.org:7420' }));
});
