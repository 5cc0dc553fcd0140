import { once } from 'node:events';
import path from 'node:path';
import nacl from 'tweetnacl';
import { WebSocket } from 'ws';
import { AuditLog } from '../../../plugins/federation/audit.js';
import { countedOps, nodeCryptoOps, type OperationCounts } from '../../../plugins/federation/crypto.js';
import { FrameOpener, FrameSealer } from '../../../plugins/federation/frames.js';
import { clientStep, startClient, type ClientParams } from '../../../plugins/federation/handshake-client.js';
import { SUBPROTOCOL } from '../../../plugins/federation/handshake-wire.js';
import { federationDir, loadOrCreateIdentity, type Identity } from '../../../plugins/federation/identity.js';
import { issueInvite } from '../../../plugins/federation/invite.js';
import { joinMaster } from '../../../plugins/federation/join.js';
import { DEFAULT_LIMITS, type Limits } from '../../../plugins/federation/limits.js';
import { Master } from '../../../plugins/federation/master.js';
import { decodeMessage, type FedMessage } from '../../../plugins/federation/messages.js';
import { PeerStore } from '../../../plugins/federation/store.js';
import { WorkerLink } from '../../../plugins/federation/worker.js';
import { serveControlPort } from '../../../src/index.js';
import type { InstanceInfo } from '../../../src/model/events.js';
import { FakeController, info, online } from '../../tui/fake-controller.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';

export interface MasterHarness {
  readonly master: Master;
  readonly port: number;
  readonly url: string;
  readonly stateDir: string;
  readonly dir: string;
  readonly identity: Identity;
  readonly store: PeerStore;
  readonly audit: AuditLog;
  readonly counts: OperationCounts;
  invite(name: string, options?: { labels?: Record<string, string>; ttlSeconds?: number; forKey?: string }): string;
  refusals(): readonly { action: string; detail?: string }[];
  close(): Promise<void>;
}

export async function startMaster(limits: Partial<Limits> = {}, stateDir = tempDir('nu-fed-m-')): Promise<MasterHarness> {
  const dir = federationDir(stateDir);
  const identity = loadOrCreateIdentity(stateDir);
  const store = new PeerStore(dir);
  const audit = new AuditLog(dir);
  const { ops, counts } = countedOps(nodeCryptoOps);
  const master = new Master({ identity, store, audit, limits: { ...DEFAULT_LIMITS, ...limits }, name: 'hub', ops });
  const port = await master.listen(0, '127.0.0.1');
  return {
    master,
    port,
    url: `ws://127.0.0.1:${port}`,
    stateDir,
    dir,
    identity,
    store,
    audit,
    counts,
    invite: (name, options = {}) => issueInvite(store, identity.publicKey, `127.0.0.1:${port}`, { name, labels: options.labels ?? {}, ttlSeconds: options.ttlSeconds ?? 900, ...(options.forKey ? { forKey: options.forKey } : {}) }).token,
    refusals: () => audit.read().filter((e) => e.result === 'refused'),
    close: () => master.close(),
  };
}

export interface WorkerHarness {
  readonly stateDir: string;
  readonly dir: string;
  readonly identity: Identity;
  readonly link: WorkerLink;
  readonly listCalls: { count: number };
  readonly logs: string[];
}

/** A worker's Controller whose instances are a fixed list; every list (the snapshot's and the master's) is counted. */
class CountingController extends FakeController {
  constructor(
    instances: readonly InstanceInfo[],
    private readonly counter: { count: number },
  ) {
    super(instances);
  }

  override async list(): Promise<readonly InstanceInfo[]> {
    this.counter.count++;
    return super.list();
  }
}

/** A joined worker whose link runs and serves the control protocol; its "apps" are a fixed list. */
export async function startWorker(m: MasterHarness, name: string, options: { claim?: { name?: string; labels?: Record<string, string> }; limits?: Partial<Limits> } = {}): Promise<WorkerHarness> {
  const stateDir = tempDir('nu-fed-w-');
  const dir = federationDir(stateDir);
  const identity = loadOrCreateIdentity(stateDir);
  await joinMaster(m.invite(name, { labels: { role: name } }), identity, dir);
  const listCalls = { count: 0 };
  const logs: string[] = [];
  const controller = new CountingController([info('api', online(4242))], listCalls);
  const link = new WorkerLink({
    dir,
    identity,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    log: (line) => logs.push(line),
    source: { version: 'test', ...options.claim, list: () => controller.list(), serve: (port) => void serveControlPort(port, controller, { pid: process.pid, project: name, version: 'test' }) },
  });
  link.start();
  await waitFor(() => m.master.nodes().find((n) => n.name === name && n.state === 'online' && n.apps !== undefined), { what: `${name} online` });
  return { stateDir, dir, identity, link, listCalls, logs };
}

/** A hand-driven client: the test decides every byte, so it can misbehave in any way an attacker would. */
export class RawPeer {
  readonly ws: WebSocket;
  readonly received: Buffer[] = [];
  readonly closed: Promise<number>;
  readonly #opened: Promise<unknown>;
  sealer: FrameSealer | undefined;
  opener: FrameOpener | undefined;
  sid = '';
  m1: Uint8Array | undefined;
  m3: Uint8Array | undefined;

  constructor(url: string, options: { protocol?: string | undefined; origin?: string } = {}) {
    this.ws = new WebSocket(url, options.protocol === undefined ? SUBPROTOCOL : options.protocol === '' ? [] : options.protocol, { perMessageDeflate: false, maxPayload: 1 << 20, ...(options.origin ? { origin: options.origin } : {}) });
    this.ws.on('message', (data: Buffer) => this.received.push(data));
    this.ws.on('error', () => undefined);
    this.#opened = once(this.ws, 'open');
    this.#opened.catch(() => undefined);
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code) => resolve(code));
      this.ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });
  }

  async open(): Promise<void> {
    await this.#opened;
  }

  #consumed = 0;

  /** The next message not yet read, in arrival order. */
  async next(): Promise<Buffer> {
    await waitFor(() => this.received.length > this.#consumed || this.ws.readyState === WebSocket.CLOSED, { what: 'a message' });
    const message = this.received[this.#consumed];
    if (!message) throw new Error('closed before a message');
    this.#consumed += 1;
    return message;
  }

  /** Runs the client handshake with `params`; `m1`/`m3` may be replaced to replay or forge. */
  async handshake(params: ClientParams, tamper: { m1?: (m1: Uint8Array) => Uint8Array; m3?: (m3: Uint8Array) => Uint8Array } = {}): Promise<boolean> {
    await this.open();
    const state = startClient(params, (n) => nacl.randomBytes(n));
    this.m1 = tamper.m1 ? tamper.m1(state.m1) : state.m1;
    const client = { ...state, m1: this.m1 };
    this.ws.send(this.m1);
    const m2 = await this.next().catch(() => undefined);
    if (!m2) return false;
    const step = clientStep(client, new Uint8Array(m2), nodeCryptoOps);
    if (step.kind !== 'proof') throw new Error(step.detail);
    this.m3 = tamper.m3 ? tamper.m3(step.bytes) : step.bytes;
    this.ws.send(this.m3);
    this.sealer = new FrameSealer(step.keys.clientToServer);
    this.opener = new FrameOpener(step.keys.serverToClient);
    this.sid = step.keys.sid;
    return true;
  }

  /** The next sealed message from the master, opened; its PINGs and control requests (the greeting) are read past: this peer never answers them. */
  async nextMessage(): Promise<FedMessage> {
    for (;;) {
      const frame = await this.next();
      const opened = this.opener?.open(new Uint8Array(frame));
      if (!opened?.ok) throw new Error('a frame from the master did not open');
      const decoded = decodeMessage(opened.payload);
      if (!decoded.ok) throw new Error(decoded.error);
      if (decoded.message.type !== 'ping' && decoded.message.type !== 'request') return decoded.message;
    }
  }

  seal(payload: string | Uint8Array): Uint8Array {
    const frame = this.sealer?.seal(typeof payload === 'string' ? new Uint8Array(Buffer.from(payload)) : payload);
    if (!frame) throw new Error('no session');
    return frame;
  }

  sendMessage(message: object): void {
    this.ws.send(this.seal(JSON.stringify(message)));
  }
}

/** A key pinned on the master as worker `name` (joined for real), for raw sessions. */
export async function pinnedKey(m: MasterHarness, name: string): Promise<nacl.SignKeyPair> {
  const stateDir = tempDir('nu-fed-k-');
  const identity = loadOrCreateIdentity(stateDir);
  await joinMaster(m.invite(name), identity, path.join(stateDir, 'federation'));
  return { publicKey: identity.publicKey, secretKey: identity.secretKey };
}

/** An honest worker still gets a session (READY opens) after whatever came before. */
export async function honestSessionWorks(m: MasterHarness, key: nacl.SignKeyPair): Promise<boolean> {
  const peer = new RawPeer(m.url);
  try {
    if (!(await peer.handshake({ ...key, masterKey: m.identity.publicKey }))) return false;
    const ready = await peer.nextMessage();
    return ready.type === 'ready';
  } finally {
    peer.ws.terminate();
  }
}
