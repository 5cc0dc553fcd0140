import path from 'node:path';
import { AuditLog } from './audit.js';
import { nodeCryptoOps, randomBytes, type CryptoOps } from './crypto.js';
import { dial, DialError } from './dial.js';
import { readJson, FederationFileError, writeAtomic } from './files.js';
import { CLOSE_CODES } from './handshake-server.js';
import { fingerprint, keyFromText, keyToText } from './fingerprint.js';
import type { Identity } from './identity.js';
import type { Limits } from './limits.js';
import type { MessagePort } from '../../src/index.js';
import type { FedMessage, InstanceSummary } from './messages.js';
import type { SealedSession } from './session.js';
import { SessionPort } from './session-port.js';

/** The worker: master.json (the pinned master), and the link that dials it, keeps it alive and answers it. */

export interface MasterPin {
  readonly url: string;
  readonly key: Uint8Array;
  readonly name?: string;
  readonly pinned: string;
}

export const masterFile = (dir: string): string => path.join(dir, 'master.json');

export function readMasterPin(dir: string): MasterPin | undefined {
  const file = masterFile(dir);
  const raw = readJson(file);
  if (raw === undefined) return undefined;
  const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const key = keyFromText(fields.key);
  if (fields.v !== 1 || typeof fields.url !== 'string' || !/^wss?:\/\//.test(fields.url) || !key || typeof fields.pinned !== 'string') {
    throw new FederationFileError(file, 'expected {"v": 1, "url": "ws://host:port", "key": "<43 base64url characters>", "pinned": "<time>"}');
  }
  return { url: fields.url, key, pinned: fields.pinned, ...(typeof fields.name === 'string' ? { name: fields.name } : {}) };
}

export function writeMasterPin(dir: string, pin: MasterPin): void {
  writeAtomic(masterFile(dir), JSON.stringify({ v: 1, url: pin.url, key: keyToText(pin.key), fingerprint: fingerprint(pin.key), ...(pin.name ? { name: pin.name } : {}), pinned: pin.pinned }, null, 2));
}

/** The session a control port belongs to: its id and the fingerprint of the master that drives it. */
export interface ControlPeer {
  readonly sid: string;
  readonly issuer: string;
}

/** What a worker tells and answers its master; the plugin wires it to the worker's own Controller. */
export interface WorkerSource {
  readonly version: string;
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
  list(): Promise<readonly InstanceSummary[]>;
  /** Serves the control protocol the master speaks over `port` (one port per session). */
  serve(port: MessagePort & { readonly currentCommand: string | undefined }, peer: ControlPeer): void;
}

export type LinkState = { readonly state: 'idle' } | { readonly state: 'connecting'; readonly attempt: number } | { readonly state: 'connected'; readonly sid: string; readonly master: string } | { readonly state: 'backoff'; readonly retryInMs: number; readonly reason: string };

export interface WorkerParams {
  readonly dir: string;
  readonly identity: Identity;
  readonly source: WorkerSource;
  readonly limits: Limits;
  readonly ops?: CryptoOps;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 60_000;
/**
 * For this long after a session ends, a master that cannot be reached (nothing listens while it restarts)
 * or is busy (other workers' handshakes fill its per-address sockets or its signatures per second, and it
 * closes at accept or refuses HELLO with 4429) is tried again every second rather than on the doubling
 * backoff, so a fleet is back about a second after its master listens again. Each such try costs the master
 * at most an accept or a HELLO refused before any cryptography.
 */
const RESTART_WINDOW_MS = 30_000;
const RATE_LIMITED = CLOSE_CODES.rate_limited;
const jitter = (ms: number): number => Math.round(ms * (0.8 + Math.random() * 0.4));

export class WorkerLink {
  readonly #p: WorkerParams;
  readonly #audit: AuditLog;
  readonly #now: () => number;
  #state: LinkState = { state: 'idle' };
  #backoff = BACKOFF_MIN_MS;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #session: SealedSession | undefined;
  #port: { readonly session: SealedSession; readonly port: SessionPort } | undefined;
  #attempt = 0;
  #lastReason = '';
  #sessionEndedAt: number | undefined;

  constructor(params: WorkerParams) {
    this.#p = params;
    this.#audit = new AuditLog(params.dir);
    this.#now = params.now ?? (() => performance.now());
  }

  get state(): LinkState {
    return this.#state;
  }

  start(): void {
    this.#stopped = false;
    void this.#connect();
  }

  /** Re-reads master.json now (after a `join` from the CLI) instead of waiting for the next attempt. */
  kick(): void {
    if (this.#state.state === 'connected' || this.#state.state === 'connecting') return;
    clearTimeout(this.#timer);
    this.#backoff = BACKOFF_MIN_MS;
    void this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    let pin: MasterPin | undefined;
    try {
      pin = readMasterPin(this.#p.dir);
    } catch (error) {
      return this.#retry((error as Error).message);
    }
    if (!pin) return this.#retry('not joined yet (no master.json)', 5000);
    this.#attempt += 1;
    this.#state = { state: 'connecting', attempt: this.#attempt };
    const { limits } = this.#p;
    let pingTimer: NodeJS.Timeout | undefined;
    let lastHeard = this.#now();
    try {
      const dialed = await dial({
        url: pin.url,
        client: { publicKey: this.#p.identity.publicKey, secretKey: this.#p.identity.secretKey, masterKey: pin.key },
        ops: this.#p.ops ?? nodeCryptoOps,
        random: randomBytes,
        deadlineMs: limits.handshakeDeadlineMs,
        rates: limits,
        now: this.#now,
        onMessage: (session, message) => {
          lastHeard = this.#now();
          this.#answer(session, message, pin.key);
        },
        onMalformed: (detail) => this.#audit.write({ action: 'message', result: 'refused', peer: fingerprint(pin.key), detail }),
        onEnd: (end, detail) => {
          this.#sessionEndedAt = this.#now();
          clearInterval(pingTimer);
          this.#session = undefined;
          this.#port?.port.sessionEnded(detail);
          this.#port = undefined;
          if (end !== 'closed') this.#audit.write({ action: `frame:${end}`, result: 'refused', peer: fingerprint(pin.key), detail });
          this.#retry(`session ended: ${detail}`);
        },
      });
      this.#session = dialed.session;
      this.#backoff = BACKOFF_MIN_MS;
      this.#attempt = 0;
      this.#lastReason = '';
      this.#state = { state: 'connected', sid: dialed.session.sid, master: dialed.ready.name };
      this.#p.log?.(`connected to master ${dialed.ready.name} (session ${dialed.session.sid})`);
      const rotateAt = this.#now() + jitter(limits.workerRotateMs);
      let seq = 0;
      pingTimer = setInterval(() => {
        const now = this.#now();
        if (now - lastHeard > limits.staleAfterMs) return dialed.session.end('closed', 'the master went silent', 4408);
        if (now >= rotateAt) return dialed.session.end('closed', 'rotating the session keys', 1000);
        dialed.session.send({ v: 1, type: 'ping', seq: ++seq });
      }, limits.pingEveryMs);
      pingTimer.unref();
      dialed.session.send({ v: 1, type: 'snapshot', version: this.#p.source.version, instances: await this.#p.source.list(), ...(this.#p.source.name ? { name: this.#p.source.name } : {}), ...(this.#p.source.labels ? { labels: this.#p.source.labels } : {}) });
    } catch (error) {
      const reason = error instanceof DialError ? error.message : String(error);
      if (error instanceof DialError && error.reason === 'master_key_changed') this.#audit.write({ action: 'handshake', result: 'refused', peer: fingerprint(pin.key), detail: `${reason}; run: node-unit join --replace-master <token>` });
      else if (error instanceof DialError && error.reason !== 'network' && error.reason !== 'closed') this.#audit.write({ action: `handshake:${error.reason}`, result: 'refused', peer: fingerprint(pin.key), detail: reason });
      if (this.#masterRestarting(error)) this.#retry(reason, jitter(BACKOFF_MIN_MS), false);
      else this.#retry(reason);
    }
  }

  #masterRestarting(error: unknown): boolean {
    const busyOrAway = error instanceof DialError && (error.reason === 'network' || (error.reason === 'closed' && error.code === RATE_LIMITED));
    return busyOrAway && this.#sessionEndedAt !== undefined && this.#now() - this.#sessionEndedAt < RESTART_WINDOW_MS;
  }

  /** The session's control port, made when the master's first request arrives (it may come before dial returns). */
  #portOf(session: SealedSession, masterKey: Uint8Array): SessionPort {
    if (this.#port?.session === session) return this.#port.port;
    const port = new SessionPort(session, 'reply', this.#p.limits.outboundHighWater, this.#p.limits);
    this.#port = { session, port };
    this.#p.source.serve(port, { sid: session.sid, issuer: fingerprint(masterKey) });
    return port;
  }

  #answer(session: SealedSession, message: FedMessage, masterKey: Uint8Array): void {
    switch (message.type) {
      case 'ping':
        session.send({ v: 1, type: 'pong', seq: message.seq });
        return;
      case 'request':
        this.#portOf(session, masterKey).accept(message);
        return;
      default:
        return;
    }
  }

  #retry(reason: string, fixedMs?: number, grow = true): void {
    if (this.#stopped) return;
    const delay = fixedMs ?? jitter(this.#backoff);
    if (grow) this.#backoff = Math.min(BACKOFF_MAX_MS, this.#backoff * 2);
    this.#state = { state: 'backoff', retryInMs: delay, reason };
    // The same reason again (the master is still down) is not printed again: one line per change.
    if (reason !== this.#lastReason) this.#p.log?.(`${reason}; retrying in ${(delay / 1000).toFixed(1)} s`);
    this.#lastReason = reason;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#connect(), delay);
    this.#timer.unref();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#session?.end('closed', 'the worker is stopping', 1001);
  }
}
