import { WebSocket } from 'ws';
import type { CryptoOps } from './crypto.js';
import { MAX_SEALED_BYTES } from './frames.js';
import { abandonClient, clientStep, startClient, type ClientParams } from './handshake-client.js';
import { SUBPROTOCOL } from './handshake-wire.js';
import type { FedMessage } from './messages.js';
import type { PeerRates } from './rate.js';
import { SealedSession, type SessionEnd } from './session.js';

/**
 * One outgoing connection from a worker: ws upgrade, the client handshake, then a sealed session whose first
 * frame from the master must be READY (key confirmation). Resolves once READY opened, rejects otherwise.
 */

export interface DialParams {
  readonly url: string;
  readonly client: ClientParams;
  readonly ops: CryptoOps;
  readonly random: (n: number) => Uint8Array;
  readonly deadlineMs: number;
  /** What this side accepts from the master. */
  readonly rates: PeerRates;
  readonly now: () => number;
  onMessage(session: SealedSession, message: FedMessage): void;
  onEnd(end: SessionEnd, detail: string, code: number): void;
  onMalformed(detail: string): void;
}

export class DialError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'DialError';
  }
}

export interface Dialed {
  readonly session: SealedSession;
  readonly ready: Extract<FedMessage, { type: 'ready' }>;
}

export function dial(params: DialParams): Promise<Dialed> {
  return new Promise((resolve, reject) => {
    // A zero mask: masking guards intermediaries against bytes a browser's script chose; this client is no
    // browser and its frames are random keys, then ciphertext. ws then skips the XOR, a large share of a flood's cost.
    const ws = new WebSocket(params.url, SUBPROTOCOL, { maxPayload: MAX_SEALED_BYTES, perMessageDeflate: false, handshakeTimeout: params.deadlineMs, followRedirects: false, generateMask: (mask: Buffer) => void mask.fill(0) });
    const state = startClient(params.client, params.random);
    let settled = false;
    const fail = (error: DialError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      abandonClient(state);
      ws.terminate();
      reject(error);
    };
    const deadline = setTimeout(() => fail(new DialError('deadline', `no session with ${params.url} within ${params.deadlineMs} ms`)), params.deadlineMs);
    deadline.unref();
    ws.on('error', (error) => fail(new DialError('network', `${params.url}: ${error.message}`)));
    ws.on('close', (code, reason) => fail(new DialError('closed', `${params.url} closed the connection during the handshake (${code}${reason.length ? ` ${reason.toString()}` : ''})`, code)));
    ws.on('unexpected-response', (_req, res) => fail(new DialError('refused', `${params.url} refused the upgrade (HTTP ${res.statusCode})`)));
    ws.once('open', () => ws.send(state.m1, { binary: true }));
    ws.once('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return fail(new DialError('bad_layout', 'the master sent a text frame during the handshake'));
      const step = clientStep(state, new Uint8Array(data), params.ops);
      if (step.kind === 'refuse') return fail(new DialError(step.refusal, step.detail));
      ws.send(step.bytes, { binary: true });
      let session: SealedSession | undefined;
      let ready: Dialed['ready'] | undefined;
      session = new SealedSession(
        { ws, sendKey: step.keys.clientToServer, receiveKey: step.keys.serverToClient, sid: step.keys.sid, peerRole: 'master', rates: params.rates, now: params.now },
        {
          onMessage: (message) => {
            if (!session) return;
            if (ready) return params.onMessage(session, message);
            if (message.type !== 'ready') return session.end('role_violation', `the master's first frame was "${message.type}", not READY`);
            ready = message;
            settled = true;
            clearTimeout(deadline);
            resolve({ session, ready });
          },
          onMalformed: (detail) => params.onMalformed(detail),
          onEnd: (end, detail, code) => {
            if (!ready) return fail(new DialError(end, `the session ended before READY: ${detail}`, code));
            params.onEnd(end, detail, code);
          },
        },
      );
    });
  });
}
