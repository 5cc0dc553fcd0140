import fs from 'node:fs';
import type { InstanceInfo, PluginContext } from '../../src/index.js';
import { AuditLog } from './audit.js';
import { parseFingerprint } from './fingerprint.js';
import { loadOrCreateIdentity } from './identity.js';
import { issueInvite } from './invite.js';
import { Master, type NodeView } from './master.js';
import type { InstanceSummary } from './messages.js';
import type { ResolvedOptions } from './options.js';
import { PeerStore, parseLabels } from './store.js';
import { WorkerLink, masterFile } from './worker.js';

/** What `started` runs: the master's server or the worker's link, and the RPC methods the CLI commands call. */

/** How often a worker looks whether `join` (from the CLI) rewrote master.json. */
const PIN_CHECK_MS = 1000;
const DEFAULT_TTL_SECONDS = 15 * 60;

export interface NodeInstances {
  readonly node: string;
  readonly ok: boolean;
  readonly instances: readonly InstanceSummary[];
  readonly error?: string;
}

type MasterOptions = Extract<ResolvedOptions, { role: 'master' }>;
type WorkerOptions = Extract<ResolvedOptions, { role: 'worker' }>;

const fields = (params: unknown): Readonly<Record<string, unknown>> => (typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as Record<string, unknown>) : {});

export async function startMasterNode(ctx: PluginContext, options: MasterOptions, version: string): Promise<() => Promise<void>> {
  const identity = loadOrCreateIdentity(ctx.stateDir);
  const store = new PeerStore(ctx.dataDir);
  const master = new Master({ identity, store, audit: new AuditLog(ctx.dataDir), limits: options.limits, name: options.name });
  const port = await master.listen(options.port, options.host);
  const advertise = options.advertise ?? `${options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host}:${port}`;
  ctx.log.info(`master ${identity.fingerprint} listening on ${options.host}:${port} (invites point to ${advertise})`);
  ctx.handle('nodes', () => master.nodes());
  ctx.handle('invite', (params) => {
    const p = fields(params);
    const ttlSeconds = typeof p.ttlSeconds === 'number' ? p.ttlSeconds : DEFAULT_TTL_SECONDS;
    const forKey = parseFingerprint(p.forKey);
    const made = issueInvite(store, identity.publicKey, advertise, { name: String(p.name), labels: parseLabels(p.labels) ?? {}, ttlSeconds, ...(forKey ? { forKey } : {}) });
    return { token: made.token, expires: made.expiresAt };
  });
  ctx.handle('list', async (params) => listNodes(master, ctx, options.name, fields(params).node));
  return () => master.close();
}

/** Every instance of the named node (or of all nodes), each tagged with its node's pinned name. */
async function listNodes(master: Master, ctx: PluginContext, self: string, node: unknown): Promise<readonly NodeInstances[]> {
  const wanted = typeof node === 'string' ? node : 'all';
  const nodes: readonly NodeView[] = master.nodes();
  const result: NodeInstances[] = [];
  if (wanted === 'all' || wanted === self) result.push({ node: self, ok: true, instances: (await ctx.controller.list()).map((i: InstanceInfo) => ({ ...i, node: self })) });
  const targets = nodes.filter((n) => wanted === 'all' || n.name === wanted || n.id === wanted);
  if (targets.length === 0 && result.length === 0) throw new Error(`no node named "${wanted}"; see node-unit nodes`);
  await Promise.all(
    targets.map(async (n) => {
      try {
        const listed = await master.call(n.name, 'list');
        const instances = Array.isArray(listed) ? (listed as InstanceSummary[]).map((i) => ({ ...i, node: n.name })) : [];
        result.push({ node: n.name, ok: true, instances });
      } catch (error) {
        result.push({ node: n.name, ok: false, instances: [], error: error instanceof Error ? error.message : String(error) });
      }
    }),
  );
  return result;
}

export function startWorkerNode(ctx: PluginContext, options: WorkerOptions, version: string): () => void {
  const identity = loadOrCreateIdentity(ctx.stateDir);
  const link = new WorkerLink({
    dir: ctx.dataDir,
    identity,
    limits: options.limits,
    log: (line) => ctx.log.info(line),
    source: { version, ...(options.name ? { name: options.name } : {}), ...(options.labels ? { labels: options.labels } : {}), list: () => ctx.controller.list() },
  });
  link.start();
  let pinStamp = stampOf(masterFile(ctx.dataDir));
  const timer = setInterval(() => {
    const stamp = stampOf(masterFile(ctx.dataDir));
    if (stamp !== pinStamp) link.kick();
    pinStamp = stamp;
  }, PIN_CHECK_MS);
  timer.unref();
  ctx.handle('kick', () => (link.kick(), link.state));
  ctx.handle('status', () => link.state);
  ctx.log.info(`worker ${identity.fingerprint}`);
  return () => {
    clearInterval(timer);
    link.stop();
  };
}

/** A join from the CLI rewrites master.json: a changed stamp makes the link dial at once. */
function stampOf(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.ino}:${stat.mtimeMs}`;
  } catch {
    return 'none';
  }
}
