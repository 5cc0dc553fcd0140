import { connectControlPort, type ControlClient } from '../../src/index.js';
import { AuditLog } from './audit.js';
import { bytesEqual, nodeCryptoOps, randomBytes, type CryptoOps } from './crypto.js';
import { fingerprint, keyToText } from './fingerprint.js';
import { Gate, type Established } from './gate.js';
import { HelloBuckets } from './hello-policy.js';
import type { Identity } from './identity.js';
import type { Limits } from './limits.js';
import type { FedMessage, InstanceSummary } from './messages.js';
import { RefusalAudit } from './refusals.js';
import { SealedSession, type SessionEnd } from './session.js';
import { SessionPort } from './session-port.js';
import type { Labels, Peer, PeerStore } from './store.js';

/**
 * The master: the gate, the sessions of pinned workers, their liveness, and one remote Controller per live
 * worker (a ControlClient over the session), through which every verb reaches the worker's own Controller.
 */

export type NodeState = 'online' | 'stale' | 'offline';

export interface NodeView {
  readonly name: string;
  readonly id: string;
  readonly labels: Labels;
  readonly address: string | undefined;
  readonly state: NodeState;
  readonly seen: string | undefined;
  readonly rttMs: number | undefined;
  readonly apps: number | undefined;
  readonly version: string | undefined;
  readonly sid: string | undefined;
}

export interface MasterParams {
  readonly identity: Identity;
  readonly store: PeerStore;
  readonly audit: AuditLog;
  readonly limits: Limits;
  readonly name: string;
  readonly ops?: CryptoOps;
  readonly now?: () => number;
  readonly random?: (n: number) => Uint8Array;
}

interface Live {
  readonly peer: Peer;
  readonly session: SealedSession;
  readonly address: string;
  readonly startedAt: number;
  lastPongAt: number;
  seenAt: Date;
  rttMs: number | undefined;
  instances: readonly InstanceSummary[] | undefined;
  version: string | undefined;
  readonly pings: Map<number, number>;
  readonly port: SessionPort;
  readonly client: ControlClient;
}

/** A live worker's remote Controller, and the port it runs over (which carries command ids). */
export interface RemoteNode {
  readonly name: string;
  readonly labels: Labels;
  readonly id: string;
  readonly sid: string;
  readonly client: ControlClient;
  readonly port: SessionPort;
}

const monotonic = (): number => performance.now();

export class Master {
  readonly gate: Gate;
  readonly #p: MasterParams;
  readonly #now: () => number;
  readonly #live = new Map<string, Live>();
  readonly #lastSeen = new Map<string, { at: Date; address: string; version?: string }>();
  readonly #replacements = new Map<string, number>();
  readonly #refusals: RefusalAudit;
  readonly #buckets: HelloBuckets;
  #seq = 0;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #watch: NodeJS.Timeout | undefined;

  constructor(params: MasterParams) {
    this.#p = params;
    this.#now = params.now ?? monotonic;
    const { limits } = params;
    this.#refusals = new RefusalAudit(params.audit, limits.auditPerAddress, this.#now);
    this.#buckets = new HelloBuckets(limits, this.#now);
    this.gate = new Gate({
      limits,
      ops: params.ops ?? nodeCryptoOps,
      random: params.random ?? randomBytes,
      refusals: this.#refusals,
      policyFor: (group) => this.#buckets.policyFor(group, params.identity, params.store, params.audit),
      addressHasRoom: (group) => this.#buckets.addressHasRoom(group),
      onEstablished: (established) => this.#established(established),
    });
  }

  async listen(port: number, host: string): Promise<number> {
    const bound = await this.gate.listen(port, host);
    this.#timer = setInterval(() => this.#tick(), Math.min(this.#p.limits.pingEveryMs, 1000));
    this.#timer.unref();
    this.#watch = setInterval(() => this.#watchPins(), 250);
    this.#watch.unref();
    return bound;
  }

  #established({ ws, step, address }: Established): void {
    const peer = this.#p.store.peerByKey(step.peerKey);
    if (!peer || peer.revoked) {
      ws.close(4401, 'revoked');
      return;
    }
    const id = keyToText(peer.key);
    const session = new SealedSession(
      { ws, sendKey: step.keys.serverToClient, receiveKey: step.keys.clientToServer, sid: step.keys.sid, peerRole: 'worker', rates: this.#p.limits, now: this.#now },
      {
        onMessage: (message) => this.#onMessage(live, message),
        onMalformed: (detail) => this.#p.audit.write({ action: 'message', result: 'refused', sid: session.sid, peer: fingerprint(peer.key), detail }),
        onEnd: (end, detail) => this.#onEnd(live, end, detail),
      },
    );
    // READY is the session's first frame (key confirmation); the control client greets right after it.
    session.send({ v: 1, type: 'ready', sid: session.sid, name: this.#p.name, pingEveryMs: this.#p.limits.pingEveryMs, messagesPerSecond: this.#p.limits.messagesPerSecond });
    const port = new SessionPort(session, 'request', this.#p.limits.outboundHighWater, this.#p.limits);
    // The session's sealed PING/PONG tells liveness; the control layer needs no heartbeat of its own.
    const client = connectControlPort(port, { heartbeat: false, onProblem: (detail) => this.#p.audit.write({ action: 'control', result: 'warning', sid: session.sid, peer: fingerprint(peer.key), target: peer.name, detail }) });
    const live: Live = { peer, session, address, startedAt: this.#now(), lastPongAt: this.#now(), seenAt: new Date(), rttMs: undefined, instances: undefined, version: undefined, pings: new Map(), port, client };
    const previous = this.#live.get(id);
    this.#live.set(id, live);
    if (previous) {
      const count = (this.#replacements.get(id) ?? 0) + 1;
      this.#replacements.set(id, count);
      this.#p.audit.write({ action: 'session', result: 'warning', sid: previous.session.sid, peer: fingerprint(peer.key), target: peer.name, detail: count > 2 ? `replaced ${count} times: possibly a cloned key` : 'replaced by a newer session' });
      previous.session.end('closed', 'replaced by a newer session of the same key', 4409);
    }
    this.#p.audit.write({ action: 'session', result: 'ok', sid: session.sid, peer: fingerprint(peer.key), target: peer.name, address, ...(step.joinedWith ? { detail: 'joined' } : {}) });
    this.#ping(live);
  }

  #onMessage(live: Live, message: FedMessage): void {
    live.seenAt = new Date();
    switch (message.type) {
      case 'snapshot':
        live.instances = message.instances;
        live.version = message.version;
        if ((message.name !== undefined && message.name !== live.peer.name) || (message.labels !== undefined && JSON.stringify(message.labels) !== JSON.stringify(live.peer.labels))) {
          this.#p.audit.write({ action: 'claim', result: 'refused', sid: live.session.sid, peer: fingerprint(live.peer.key), target: live.peer.name, detail: `claimed name ${JSON.stringify(message.name)} and labels ${JSON.stringify(message.labels)}; the pin says ${JSON.stringify(live.peer.name)} ${JSON.stringify(live.peer.labels)}` });
        }
        return;
      case 'ping':
        live.session.send({ v: 1, type: 'pong', seq: message.seq });
        return;
      case 'pong': {
        const sentAt = live.pings.get(message.seq);
        live.pings.delete(message.seq);
        if (sentAt !== undefined) {
          live.rttMs = this.#now() - sentAt;
          live.lastPongAt = this.#now();
        }
        return;
      }
      case 'reply':
        live.port.accept(message);
        return;
      case 'error':
      case 'ready':
      case 'request':
        return;
    }
  }

  #onEnd(live: Live, end: SessionEnd, detail: string): void {
    const id = keyToText(live.peer.key);
    if (this.#live.get(id) === live) this.#live.delete(id);
    this.#lastSeen.set(id, { at: live.seenAt, address: live.address, ...(live.version ? { version: live.version } : {}) });
    // Commands in flight fail here and are never resent: their outcome on the worker is unknown.
    live.port.sessionEnded(`the session with ${live.peer.name} ended (${detail})`);
    if (end !== 'closed') this.#p.audit.write({ action: `frame:${end}`, result: 'refused', sid: live.session.sid, peer: fingerprint(live.peer.key), target: live.peer.name, detail });
  }

  #tick(): void {
    const now = this.#now();
    for (const live of this.#live.values()) {
      if (now - live.startedAt > this.#p.limits.masterMaxSessionMs) {
        live.session.end('closed', 'session older than the limit', 4408);
        continue;
      }
      const last = [...live.pings.values()].at(-1);
      if (last === undefined || now - last >= this.#p.limits.pingEveryMs) this.#ping(live);
    }
  }

  #ping(live: Live): void {
    const seq = ++this.#seq;
    live.pings.set(seq, this.#now());
    if (live.pings.size > 8) live.pings.delete(live.pings.keys().next().value as number);
    live.session.send({ v: 1, type: 'ping', seq });
  }

  /** Re-reads peers.json (a `revoke` from the CLI) and ends every session whose pin is now revoked. */
  #watchPins(): void {
    try {
      if (!this.#p.store.refresh()) return;
    } catch {
      return;
    }
    for (const live of this.#live.values()) {
      const peer = this.#p.store.peerByKey(live.peer.key);
      if (peer?.revoked) {
        this.#p.audit.write({ action: 'revoke', result: 'closed', sid: live.session.sid, peer: fingerprint(live.peer.key), target: live.peer.name });
        live.session.end('closed', 'revoked', 4401);
      }
    }
  }

  nodes(): readonly NodeView[] {
    const now = this.#now();
    return this.#p.store.peers.filter((p) => !p.revoked).map((peer) => {
      const id = keyToText(peer.key);
      const live = this.#live.get(id);
      const last = this.#lastSeen.get(id);
      const base = { name: peer.name, id: fingerprint(peer.key), labels: peer.labels };
      if (!live) return { ...base, address: last?.address, state: 'offline', seen: last?.at.toISOString(), rttMs: undefined, apps: undefined, version: last?.version, sid: undefined };
      const state: NodeState = now - live.lastPongAt > this.#p.limits.staleAfterMs ? 'stale' : 'online';
      return { ...base, address: live.address, state, seen: live.seenAt.toISOString(), rttMs: live.rttMs, apps: live.instances?.length, version: live.version, sid: live.session.sid };
    });
  }

  /** The remote Controller of every live worker. */
  remotes(): readonly RemoteNode[] {
    return [...this.#live.values()].map((live) => ({ name: live.peer.name, labels: live.peer.labels, id: fingerprint(live.peer.key), sid: live.session.sid, client: live.client, port: live.port }));
  }

  sessionOf(key: Uint8Array): SealedSession | undefined {
    return [...this.#live.values()].find((l) => bytesEqual(l.peer.key, key))?.session;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    clearInterval(this.#watch);
    for (const live of this.#live.values()) live.session.end('closed', 'the master is stopping', 1001);
    await this.gate.close();
  }
}
