import type { PluginCliContext, PluginCommand } from '../../src/index.js';
import { fingerprint, parseFingerprint } from './fingerprint.js';
import { loadOrCreateIdentity } from './identity.js';
import { issueInvite } from './invite.js';
import { joinMaster } from './join.js';
import type { NodeView } from './master.js';
import type { ResolvedOptions } from './options.js';
import { formatNodes } from './table.js';
import { NAME, PeerStore, parseLabels } from './store.js';

/** The CLI commands the plugin adds: id, invite, join, nodes, revoke (`ls --node` calls the plugin's `list`). */

const TTL = /^(\d+)(s|m|h|d)?$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

function parseTtl(text: string | boolean | undefined): number | string {
  if (text === undefined || typeof text !== 'string') return 15 * 60;
  const match = TTL.exec(text.trim());
  if (!match) return `--ttl: expected a duration such as 15m, 2h or 900 (seconds), got ${JSON.stringify(text)}`;
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] ?? 1);
  return seconds >= 60 && seconds <= 7 * 86_400 ? seconds : `--ttl: expected between 1 minute and 7 days, got ${text}`;
}

function parseLabelList(text: string | boolean | undefined): Record<string, string> | string {
  if (text === undefined || typeof text !== 'string' || text.trim() === '') return {};
  const labels: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [key, value] = pair.split('=');
    if (!key || value === undefined || !NAME.test(key.trim())) return `--labels: expected key=value pairs separated by commas (disk=big,zone=attic), got ${JSON.stringify(text)}`;
    labels[key.trim()] = value.trim();
  }
  return parseLabels(labels) ? labels : `--labels: values must be at most 256 characters`;
}

const fail = (ctx: PluginCliContext, message: string): number => (ctx.stderr(`error ${message}\n`), 1);

function masterOnly(options: ResolvedOptions, ctx: PluginCliContext, command: string): options is Extract<ResolvedOptions, { role: 'master' }> {
  if (options.role === 'master') return true;
  ctx.stderr(`error ${command}: this node is a worker (its federation options have no listen); run ${command} on the master\n`);
  return false;
}

async function invite(ctx: PluginCliContext, options: ResolvedOptions): Promise<number> {
  if (!masterOnly(options, ctx, 'invite')) return 2;
  const name = ctx.options.name;
  if (typeof name !== 'string' || !NAME.test(name)) return fail(ctx, `invite: --name is required: letters, digits, ".", "_" or "-", got ${JSON.stringify(name)}`);
  const ttlSeconds = parseTtl(ctx.options.ttl);
  if (typeof ttlSeconds === 'string') return fail(ctx, ttlSeconds);
  const labels = parseLabelList(ctx.options.labels);
  if (typeof labels === 'string') return fail(ctx, labels);
  const forKey = ctx.options.key === undefined ? undefined : parseFingerprint(ctx.options.key);
  if (ctx.options.key !== undefined && !forKey) return fail(ctx, `invite: --key expects the worker's full fingerprint, as \`node-unit id\` prints it on the worker (XXXXXXX-XXXXXXX-…), got ${JSON.stringify(ctx.options.key)}`);
  const reply = await ctx.call('invite', { name, labels, ttlSeconds, ...(forKey ? { forKey } : {}) });
  let made: { token: string; expires: number };
  if (reply.ok) made = reply.value as { token: string; expires: number };
  else if (reply.code === 'not_running' && options.advertise) {
    const issued = issueInvite(new PeerStore(ctx.dataDir), loadOrCreateIdentity(ctx.stateDir).publicKey, options.advertise, { name, labels, ttlSeconds, ...(forKey ? { forKey } : {}) });
    made = { token: issued.token, expires: issued.expiresAt };
  } else return fail(ctx, `invite: ${reply.message}`);
  if (ctx.options.json) ctx.stdout(`${JSON.stringify({ token: made.token, name, labels, expires: new Date(made.expires * 1000).toISOString() })}\n`);
  else {
    ctx.stdout(`${made.token}\n`);
    ctx.stderr(`invite for "${name}"${forKey ? ` and the key ${forKey} only` : ''}, valid until ${new Date(made.expires * 1000).toISOString()}, single use. On the worker: node-unit join - < token.txt\n`);
  }
  return 0;
}

async function join(ctx: PluginCliContext, options: ResolvedOptions): Promise<number> {
  if (options.role === 'master') return fail(ctx, 'join: this node is the master (its federation options have listen); join runs on a worker');
  const arg = ctx.args[0];
  if (arg === undefined) return fail(ctx, 'join: give the token, or - to read it from stdin');
  if (arg !== '-') ctx.stderr('warning a token given as an argument shows in the process list; prefer: node-unit join - < token.txt\n');
  const token = arg === '-' ? (await ctx.readStdin()).trim() : arg;
  try {
    const identity = loadOrCreateIdentity(ctx.stateDir);
    const joined = await joinMaster(token, identity, ctx.dataDir, { replaceMaster: ctx.options.replaceMaster === true });
    ctx.stdout(`${identity.fingerprint}\n`);
    ctx.stderr(`joined master "${joined.master}" (${joined.masterId}) at ${joined.url}\n`);
    await ctx.call('kick');
    return 0;
  } catch (error) {
    return fail(ctx, error instanceof Error ? error.message : String(error));
  }
}

/** The running master's view; without a supervisor, every pinned node is offline. */
async function nodeViews(ctx: PluginCliContext): Promise<readonly NodeView[] | string> {
  const reply = await ctx.call('nodes');
  if (reply.ok) return reply.value as readonly NodeView[];
  if (reply.code !== 'not_running') return reply.message;
  return new PeerStore(ctx.dataDir).peers.filter((p) => !p.revoked).map((p) => ({ name: p.name, id: fingerprint(p.key), labels: p.labels, address: undefined, state: 'offline', seen: undefined, rttMs: undefined, apps: undefined, version: undefined, sid: undefined }));
}

async function nodes(ctx: PluginCliContext, options: ResolvedOptions): Promise<number> {
  if (!masterOnly(options, ctx, 'nodes')) return 2;
  const views = await nodeViews(ctx);
  if (typeof views === 'string') return fail(ctx, `nodes: ${views}`);
  ctx.stdout(ctx.options.json ? `${JSON.stringify(views)}\n` : formatNodes(views));
  return 0;
}

function revoke(ctx: PluginCliContext, options: ResolvedOptions): number {
  if (!masterOnly(options, ctx, 'revoke')) return 2;
  const target = ctx.args[0] ?? '';
  const peer = new PeerStore(ctx.dataDir).revoke(target, new Date());
  if (!peer) return fail(ctx, `revoke: no joined node named "${target}" (or with that id); see node-unit nodes`);
  ctx.stderr(`revoked "${peer.name}": its session closes now and its key can never join again\n`);
  return 0;
}

function id(ctx: PluginCliContext): number {
  ctx.stdout(`${loadOrCreateIdentity(ctx.stateDir).fingerprint}\n`);
  return 0;
}

export function federationCommands(options: () => ResolvedOptions): readonly PluginCommand[] {
  return [
    { name: 'id', description: "print this node's id (the fingerprint of its key)", run: (ctx) => id(ctx) },
    {
      name: 'invite',
      description: 'make a single-use invite for a worker; prints only the token',
      options: [
        { flags: '--name <name>', description: "the worker's name (required)" },
        { flags: '--labels <k=v,...>', description: "the worker's labels" },
        { flags: '--ttl <duration>', description: 'how long the invite is valid (default 15m)' },
        { flags: '--key <fingerprint>', description: 'only the worker with this id may use it (`node-unit id` on the worker)' },
        { flags: '--json', description: 'print JSON' },
      ],
      run: (ctx) => invite(ctx, options()),
    },
    {
      name: 'join',
      description: "join a master with an invite token ('-' reads it from stdin); pins the master",
      arguments: [{ name: 'token', description: "the token, or - for stdin" }],
      options: [{ flags: '--replace-master', description: 'replace the pinned master (after a master key change)' }],
      run: (ctx) => join(ctx, options()),
    },
    { name: 'nodes', description: 'list the nodes of the mesh: state, last seen, RTT, apps', options: [{ flags: '--json', description: 'print JSON' }], run: (ctx) => nodes(ctx, options()) },
    { name: 'revoke', description: 'cut a node off at once and for good', arguments: [{ name: 'node', description: 'its name or id' }], run: (ctx) => revoke(ctx, options()) },
  ];
}
