import http from 'node:http';
import type net from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CryptoOps } from './crypto.js';
import { fingerprint } from './fingerprint.js';
import { CLOSE_CODES, abandonServer, initialServerState, serverStep, type ServerPolicy, type ServerState, type ServerStep } from './handshake-server.js';
import { SUBPROTOCOL } from './handshake-wire.js';
import { MAX_SEALED_BYTES } from './frames.js';
import { addressGroup, SocketCounter, type Limits } from './limits.js';
import type { RefusalAudit } from './refusals.js';

/**
 * The master's front door: an HTTP server that upgrades only what the rules allow, counts unauthenticated
 * sockets per address (IPv6 by /64) and in all, destroys a socket that has not finished the handshake by the
 * deadline, and runs the server handshake on each ws. A socket leaves the gate established or closed.
 */

export interface Established {
  readonly ws: WebSocket;
  readonly step: Extract<ServerStep, { kind: 'established' }>;
  readonly address: string;
}

export interface GateParams {
  readonly limits: Limits;
  readonly ops: CryptoOps;
  readonly random: (n: number) => Uint8Array;
  readonly refusals: RefusalAudit;
  /** The policy for one connection (its buckets are keyed by the connection's address). */
  policyFor(group: string): ServerPolicy;
  /** False when the address is over its HELLO rate: the socket is closed at accept. */
  addressHasRoom(group: string): boolean;
  onEstablished(established: Established): void;
}

const wsOptions = { noServer: true, maxPayload: MAX_SEALED_BYTES, perMessageDeflate: false, clientTracking: false } as const;

export class Gate {
  readonly server: http.Server;
  readonly #wss: WebSocketServer;
  readonly #pending: SocketCounter;
  readonly #params: GateParams;
  readonly #held = new WeakMap<net.Socket, string>();
  readonly #open = new Set<net.Socket>();

  constructor(params: GateParams) {
    this.#params = params;
    const { limits } = params;
    this.#pending = new SocketCounter(limits.unauthenticatedPerAddress, limits.unauthenticatedTotal);
    this.server = http.createServer({ headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, maxHeaderSize: limits.maxHeaderBytes }, (_req, res) => {
      res.writeHead(426, { connection: 'close' }).end();
    });
    this.#wss = new WebSocketServer({ ...wsOptions, handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false) });
    this.server.on('connection', (socket) => this.#admit(socket));
    this.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.#upgrade(req, socket, head));
  }

  get pendingSockets(): number {
    return this.#pending.count;
  }

  #admit(socket: net.Socket): void {
    const group = addressGroup(socket.remoteAddress);
    if (!this.#params.addressHasRoom(group)) {
      const { burst, perSecond } = this.#params.limits.helloPerAddress;
      this.#params.refusals.refuse(group, 'connect', `over ${perSecond} HELLOs a second (burst ${burst}) from this address`);
      socket.destroy();
      return;
    }
    if (!this.#pending.acquire(group)) {
      this.#params.refusals.refuse(group, 'connect', `over ${this.#params.limits.unauthenticatedPerAddress} unauthenticated sockets per address or ${this.#params.limits.unauthenticatedTotal} in all`);
      socket.destroy();
      return;
    }
    this.#held.set(socket, group);
    this.#open.add(socket);
    const deadline = setTimeout(() => {
      if (!this.#held.has(socket)) return;
      this.#params.refusals.refuse(group, 'handshake', `no handshake within ${this.#params.limits.handshakeDeadlineMs} ms`);
      socket.destroy();
    }, this.#params.limits.handshakeDeadlineMs);
    deadline.unref();
    socket.once('close', () => {
      clearTimeout(deadline);
      this.#release(socket);
      this.#open.delete(socket);
    });
  }

  #release(socket: net.Socket): void {
    const group = this.#held.get(socket);
    if (group === undefined) return;
    this.#held.delete(socket);
    this.#pending.release(group);
  }

  #upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const group = addressGroup(socket.remoteAddress);
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const problem = req.headers.origin !== undefined ? 'a request with an Origin header (a browser)' : !offered.includes(SUBPROTOCOL) ? `a request without the ${SUBPROTOCOL} subprotocol` : undefined;
    if (problem) {
      this.#params.refusals.refuse(group, 'upgrade', `refused ${problem}`);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroySoon();
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#handshake(ws, socket, group));
  }

  #handshake(ws: WebSocket, socket: net.Socket, group: string): void {
    const policy = this.#params.policyFor(group);
    let state: ServerState = initialServerState;
    const fail = (action: string, code: number, detail: string, peer?: Uint8Array): void => {
      abandonServer(state);
      state = { phase: 'finished' };
      this.#params.refusals.refuse(group, action, detail, peer ? { peer: fingerprint(peer) } : {});
      ws.close(code, action.slice(0, 100));
      setTimeout(() => ws.terminate(), 1000).unref();
    };
    const onMessage = (data: Buffer, isBinary: boolean): void => {
      if (state.phase === 'finished') return;
      if (!isBinary) return fail('handshake', 4400, 'a text frame during the handshake');
      let step: ServerStep;
      try {
        step = serverStep(state, new Uint8Array(data), policy, this.#params.ops, this.#params.random);
      } catch (error) {
        // A federation file that became unreadable (it is reported with its path): refuse, stay up.
        return fail('handshake', 1011, error instanceof Error ? error.message : String(error));
      }
      state = step.next;
      if (step.kind === 'send') return void ws.send(step.bytes, { binary: true });
      if (step.kind === 'refuse') return fail(`handshake:${step.refusal}`, CLOSE_CODES[step.refusal], step.detail, step.hello?.clientKey);
      ws.off('message', onMessage);
      ws.off('error', onError);
      this.#release(socket);
      this.#params.onEstablished({ ws, step, address: group });
    };
    const onError = (error: Error & { code?: string }): void => {
      if (state.phase === 'finished') return;
      fail('handshake', 4413, error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'an oversized frame during the handshake' : error.message);
    };
    ws.on('message', onMessage);
    ws.on('error', onError);
    ws.on('close', () => abandonServer(state));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  async close(): Promise<void> {
    for (const socket of this.#open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
