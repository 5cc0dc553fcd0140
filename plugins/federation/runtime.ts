import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveControlPort, type PluginContext } from '../../src/index.js';
import { ActionChain } from './audit-chain.js';
import { AuditLog } from './audit.js';
import { GuardedPort, type StoredReply } from './control-guard.js';
import { CommandWindow } from './dedupe.js';
import { parseFingerprint } from './fingerprint.js';
import { loadOrCreateIdentity } from './identity.js';
import { issueInvite } from './invite.js';
import { Master } from './master.js';
import type { InstanceSummary } from './messages.js';
import type { ResolvedOptions } from './options.js';
import { Follows } from './follow.js';
import { decodeRoute, liveControllers, route, type RouteContext } from './route.js';
import { PeerStore, parseLabels } from './store.js';
import { mark } from './trace.js';
import { WorkerLink, masterFile, type ControlPeer } from './worker.js';

/** What `started` runs: the master's server or the worker's link, and the RPC methods the CLI commands call. */

/** How often a worker looks whether `join` (from the CLI) rewrote master.json. */
const PIN_CHECK_MS = 1000;
const DEFAULT_TTL_SECONDS = 15 * 60;
/** How long a node may take to answer a verb before its outcome is reported unknown. */
const ROUTE_TIMEOUT_MS = 120_000;

export interface NodeInstances {
  readonly node: string;
  readonly ok: boolean;
  readonly instances: readonly InstanceSummary[];
  readonly error?: string;
}

type MasterOptions = Extract<ResolvedOptions, { role: 'master' }>;
type WorkerOptions = Extract<ResolvedOptions, { role: 'worker' }>;

const fields = (params: unknown): Readonly<Record<string, unknown>> => (typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as Record<string, unknown>) : {});

/** An audit append or flush that failed: the command still answers, the supervisor's log says why. */
const auditErrorLog =
  (ctx: PluginContext) =>
  (error: unknown): void =>
    ctx.log.error(`audit: ${error instanceof Error ? error.message : String(error)}`);

export async function startMasterNode(ctx: PluginContext, options: MasterOptions, version: string): Promise<() => Promise<void>> {
  const identity = loadOrCreateIdentity(ctx.stateDir);
  const store = new PeerStore(ctx.dataDir);
  const master = new Master({ identity, store, audit: new AuditLog(ctx.dataDir), limits: options.limits, name: options.name });
  const chain = new ActionChain(ctx.dataDir, { onSyncError: auditErrorLog(ctx) });
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
  const routing: RouteContext = {
    self: { name: options.name, id: identity.fingerprint },
    local: ctx.controller,
    nodes: () => master.nodes(),
    remotes: () => master.remotes(),
    chain,
    onAuditError: auditErrorLog(ctx),
    timeoutMs: ROUTE_TIMEOUT_MS,
  };
  ctx.handle('run', async (params) => {
    mark('master.rpc');
    const request = decodeRoute(params);
    if (typeof request === 'string') throw new Error(request);
    return route(routing, request);
  });
  ctx.handle('list', async (params) => listNodes(routing, fields(params).node));
  const follows = new Follows();
  ctx.handle('follow', async (params) => {
    const request = decodeRoute(params);
    if (typeof request === 'string') throw new Error(request);
    if (request.command.verb !== 'logs') throw new Error('follow: expected a logs command');
    const { target, streams } = request.command;
    return follows.open(liveControllers(routing, request.node), master.remotes(), { target, streams }, () => route(routing, request));
  });
  ctx.handle('follow.next', async (params) => {
    const p = fields(params);
    const items = typeof p.id === 'string' ? await follows.next(p.id, typeof p.waitMs === 'number' ? p.waitMs : 1000) : undefined;
    if (!items) throw new Error('follow.next: no such follow (it was closed, or idle for too long)');
    return items;
  });
  ctx.handle('follow.close', (params) => follows.close(String(fields(params).id)));
  return async () => {
    follows.dispose();
    await master.close();
    await chain.flush().catch(auditErrorLog(ctx));
  };
}

/** Every instance of the named nodes, each tagged with its node's pinned name (`ls --node`). */
async function listNodes(routing: RouteContext, node: unknown): Promise<readonly NodeInstances[]> {
  const outcomes = await route(routing, { node: typeof node === 'string' ? node : 'all', command: { verb: 'ls' }, commandId: 'ls' });
  return outcomes.map((outcome) => {
    if (outcome.status !== 'ok' || !Array.isArray(outcome.value)) return { node: outcome.node, ok: false, instances: [], error: outcome.status === 'ok' ? 'no instance list' : outcome.message };
    return { node: outcome.node, ok: true, instances: outcome.value.map((instance: object) => ({ ...instance, node: outcome.node })) };
  });
}

export function startWorkerNode(ctx: PluginContext, options: WorkerOptions, version: string): () => Promise<void> {
  const identity = loadOrCreateIdentity(ctx.stateDir);
  const node = options.name ?? os.hostname();
  const onAuditError = auditErrorLog(ctx);
  const chain = new ActionChain(ctx.dataDir, { onSyncError: onAuditError });
  // One window for every session: a command id replayed after a reconnect is still known.
  const window = new CommandWindow<StoredReply>();
  const link = new WorkerLink({
    dir: ctx.dataDir,
    identity,
    limits: options.limits,
    log: (line) => ctx.log.info(line),
    source: {
      version,
      ...(options.name ? { name: options.name } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
      list: () => ctx.controller.list(),
      serve: (port, peer: ControlPeer) => {
        const guarded = new GuardedPort(port, { node, policy: options.trust, chain, window, ...peer, commandOf: () => port.currentCommand, onAuditError, baseDir: ctx.config.configDir });
        serveControlPort(guarded, ctx.controller, { pid: process.pid, project: path.basename(ctx.config.configDir), version });
      },
    },
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
  return async () => {
    clearInterval(timer);
    link.stop();
    await chain.flush().catch(onAuditError);
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
