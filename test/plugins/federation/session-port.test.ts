import nacl from 'tweetnacl';
import test, { type ExecutionContext } from 'ava';
import { WebSocket, WebSocketServer } from 'ws';
import { DEFAULT_LIMITS } from '../../../plugins/federation/limits.js';
import type { FedMessage } from '../../../plugins/federation/messages.js';
import { SealedSession } from '../../../plugins/federation/session.js';
import { SessionPort } from '../../../plugins/federation/session-port.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * When a session port's frames leave, over a real sealed session on 127.0.0.1: events of one turn share a
 * frame on setImmediate; a reply leaves before work already put off to setImmediate (the orphan guard's
 * record write, which takes milliseconds on a busy disk) runs.
 */

type Data = Parameters<WebSocket['send']>[0];
type Done = (error?: Error) => void;
interface SendOptions {
  readonly mask?: boolean;
  readonly binary?: boolean;
  readonly compress?: boolean;
  readonly fin?: boolean;
}

/** A client socket that counts the frames handed to it. */
class CountingSocket extends WebSocket {
  frames = 0;
  override send(data: Data, cb?: Done): void;
  override send(data: Data, options: SendOptions, cb?: Done): void;
  override send(data: Data, optionsOrDone?: SendOptions | Done, cb?: Done): void {
    this.frames += 1;
    if (typeof optionsOrDone === 'function') super.send(data, optionsOrDone);
    else super.send(data, optionsOrDone ?? {}, cb);
  }
}

interface Pair {
  readonly worker: SessionPort;
  readonly socket: CountingSocket;
  readonly received: FedMessage[];
}

async function sessionPair(t: ExecutionContext): Promise<Pair> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const [up, down] = [nacl.randomBytes(32), nacl.randomBytes(32)];
  const received: FedMessage[] = [];
  const noEnd = { onEnd: () => undefined, onMalformed: () => undefined };
  const accepted = new Promise<SealedSession>((resolve) =>
    server.once('connection', (ws) => resolve(new SealedSession({ ws, sendKey: down, receiveKey: up, sid: 's', peerRole: 'worker', rates: DEFAULT_LIMITS, now: () => performance.now() }, { ...noEnd, onMessage: (m) => received.push(m) }))),
  );
  const socket = new CountingSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  await new Promise((resolve) => socket.once('open', resolve));
  const session = new SealedSession({ ws: socket, sendKey: up, receiveKey: down, sid: 's', peerRole: 'master', rates: DEFAULT_LIMITS, now: () => performance.now() }, { ...noEnd, onMessage: () => undefined });
  const master = await accepted;
  t.teardown(() => {
    session.end('closed', 'test over');
    master.end('closed', 'test over');
    server.close();
  });
  const worker = new SessionPort(session, 'reply', DEFAULT_LIMITS.outboundHighWater, DEFAULT_LIMITS);
  worker.attach({ message: () => undefined });
  return { worker, socket, received };
}

const texts = (received: readonly FedMessage[]): readonly string[] => received.flatMap((m) => (m.type === 'reply' ? [m.text] : []));

test('a reply leaves before work already put off to setImmediate; events of a turn still share one frame', async (t) => {
  const { worker, socket, received } = await sessionPair(t);
  const event = (n: number): object => ({ v: 1, type: 'event', subscription: 1, event: { type: 'shutdown', n } });

  const framesBefore = socket.frames;
  const atPutOffWork: number[] = [];
  setImmediate(() => atPutOffWork.push(socket.frames - framesBefore));
  worker.send(event(1));
  worker.send(event(2));
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(atPutOffWork, [0], 'events wait for the end of the turn');
  t.is(socket.frames - framesBefore, 1, 'the two events went in one frame');

  setImmediate(() => atPutOffWork.push(socket.frames - framesBefore));
  worker.send({ v: 1, type: 'reply', id: 7, ok: true, result: { ok: true } });
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(atPutOffWork, [0, 2], 'the reply was handed to the socket before the put-off work ran');

  await waitFor(() => texts(received).length === 2, { what: 'both frames at the master' });
  t.deepEqual(texts(received).map((text) => text.split('\n').map((line) => (JSON.parse(line) as { type: string }).type)), [['event', 'event'], ['reply']]);
});
