import test from 'ava';
import nacl from 'tweetnacl';
import { WebSocket, WebSocketServer } from 'ws';
import { MAX_SEALED_BYTES } from '../../../plugins/federation/frames.js';
import { federation } from '../../../plugins/federation/index.js';
import { DEFAULT_LIMITS } from '../../../plugins/federation/limits.js';
import type { FedMessage } from '../../../plugins/federation/messages.js';
import { MIN_FRAME_CHARGE, ReceiveRate, type PeerRates } from '../../../plugins/federation/rate.js';
import { Outbox, type Frame } from '../../../plugins/federation/session-outbox.js';
import { SessionPort } from '../../../plugins/federation/session-port.js';
import { SealedSession, type Role, type SessionEnd } from '../../../plugins/federation/session.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * A session's two budgets: requests and the session's own messages by count (200/s, however they are packed
 * into frames), every frame by bytes with a floor per frame. Bulk replies (log floods) pass at link speed;
 * a peer sending many small requests or tiny frames is still closed with 4429.
 */

const request = (lines: number): FedMessage => ({ v: 1, type: 'request', text: Array.from({ length: lines }, (_, i) => `{"v":1,"id":${i},"type":"list"}`).join('\n') });
const reply = (bytes: number): FedMessage => ({ v: 1, type: 'reply', text: 'x'.repeat(bytes) });

test('requests count by the messages they hold: 200 at once pass, the 201st (or a frame of 201) does not', (t) => {
  const rate = new ReceiveRate(DEFAULT_LIMITS, 0);
  for (let i = 0; i < 4; i++) t.is(rate.message(request(50), 0), undefined);
  t.regex(rate.message(request(1), 0) ?? '', /more than 200 messages per second/);
  t.is(rate.message(request(100), 500), undefined, 'half a second refills 100');
  t.regex(new ReceiveRate(DEFAULT_LIMITS, 0).message(request(201), 0) ?? '', /messages per second/, 'packing them in one frame does not help');
  t.regex(new ReceiveRate(DEFAULT_LIMITS, 0).message({ v: 1, type: 'ping', seq: 1 }, 0) ?? 'ok', /ok/);
});

test('replies are metered by bytes only: 64 MiB of full frames in one instant pass, and twice the byte rate does not', (t) => {
  const rate = new ReceiveRate(DEFAULT_LIMITS, 0);
  const frames = Math.floor((64 * 1024 * 1024) / MAX_SEALED_BYTES);
  for (let i = 0; i < frames; i++) {
    t.is(rate.frame(MAX_SEALED_BYTES, 0), undefined);
    t.is(rate.message(reply(10), 0), undefined);
  }
  let refused: string | undefined;
  for (let i = 0; i < frames * 2 && refused === undefined; i++) refused = rate.frame(MAX_SEALED_BYTES, 0);
  t.regex(refused ?? '', /bytes per second/);
});

test('tiny frames are charged the floor: no more than bytes per second / 16 KiB of them', (t) => {
  const rate = new ReceiveRate(DEFAULT_LIMITS, 0);
  const allowed = DEFAULT_LIMITS.bytesPerSecond / MIN_FRAME_CHARGE;
  for (let i = 0; i < allowed; i++) t.is(rate.frame(20, 0), undefined);
  t.regex(rate.frame(20, 0) ?? '', /each frame counted as at least 16384/);
});

test('the outbox keeps within what the receiver counts: requests paced by lines, replies at once', (t) => {
  const frames: Frame[] = [];
  const requests = new Outbox(DEFAULT_LIMITS, true, (frame) => frames.push(frame));
  for (let i = 0; i < 300; i++) requests.enqueue(`{"v":1,"id":${i},"type":"list"}`, undefined);
  requests.send();
  requests.clear();
  const lines = frames.map((frame) => frame.text.split('\n').length);
  t.true(lines.every((n) => n <= 50), 'no frame holds more lines than the pace lets through');
  t.is(lines.reduce((a, b) => a + b, 0), 50, 'a quarter of the peer budget leaves at once; the rest is paced');
  const receiver = new ReceiveRate(DEFAULT_LIMITS, 0);
  for (const frame of frames) t.is(receiver.message({ v: 1, type: 'request', text: frame.text }, 0), undefined);

  const sent: Frame[] = [];
  const replies = new Outbox(DEFAULT_LIMITS, false, (frame) => sent.push(frame));
  for (let i = 0; i < 2000; i++) replies.enqueue('y'.repeat(10_000), undefined);
  replies.send();
  const joined = sent.map((frame) => frame.text).join('\n');
  t.is(joined.length, 2000 * 10_001 - 1, '20 MB of replies leave at once');
  t.true(sent.length <= 400, 'in full frames');
});

interface End {
  readonly session: SealedSession;
  readonly received: FedMessage[];
  readonly ended: Promise<{ readonly end: SessionEnd; readonly code: number }>;
}

/** Two sealed sessions over a real ws on 127.0.0.1: the master's end and the worker's end. */
async function pair(t: { teardown(fn: () => unknown): void }, rates: PeerRates = DEFAULT_LIMITS): Promise<{ readonly master: End; readonly worker: End }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: MAX_SEALED_BYTES });
  t.teardown(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await new Promise((resolve) => wss.once('listening', resolve));
  const address = wss.address();
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, { perMessageDeflate: false, maxPayload: MAX_SEALED_BYTES });
  await new Promise((resolve) => client.once('open', resolve));
  const server = await accepted;
  const [toWorker, toMaster] = [nacl.randomBytes(32), nacl.randomBytes(32)];
  const end = (ws: WebSocket, sendKey: Uint8Array, receiveKey: Uint8Array, peerRole: Role): End => {
    const received: FedMessage[] = [];
    let resolveEnd: (value: { end: SessionEnd; code: number }) => void = () => undefined;
    const ended = new Promise<{ end: SessionEnd; code: number }>((resolve) => (resolveEnd = resolve));
    const session = new SealedSession(
      { ws, sendKey: new Uint8Array(sendKey), receiveKey: new Uint8Array(receiveKey), sid: 's', peerRole, rates, now: () => performance.now() },
      { onMessage: (message) => received.push(message), onMalformed: () => undefined, onEnd: (why, _detail, code) => resolveEnd({ end: why, code }) },
    );
    t.teardown(() => session.end('closed', 'test over', 1000));
    return { session, received, ended };
  };
  return { master: end(server, toWorker, toMaster, 'worker'), worker: end(client, toMaster, toWorker, 'master') };
}

test('a worker sending a log flood in full frames, far beyond 200 frames a second, keeps its session', async (t) => {
  const { master, worker } = await pair(t);
  for (let i = 0; i < 600; i++) worker.session.send(reply(60 * 1024));
  await waitFor(() => master.received.length === 600, { timeoutMs: 30_000, what: `600 frames (got ${master.received.length})` });
  t.false(master.session.ended);
  t.false(worker.session.ended);
});

test('a master packing 201 small requests into one frame is closed with 4429', async (t) => {
  const { master, worker } = await pair(t);
  master.session.send(request(201));
  t.like(await worker.ended, { end: 'rate_limited', code: 4429 });
  t.deepEqual(worker.received, []);
});

test('a worker sending tiny frames past the byte budget is closed with 4429', async (t) => {
  // A budget of 64 frames a second, so that the test's sender surely outruns it on a busy machine.
  const { master, worker } = await pair(t, { messagesPerSecond: 200, bytesPerSecond: 64 * MIN_FRAME_CHARGE });
  for (let i = 0; i < 400 && !worker.session.ended; i++) worker.session.send(reply(1));
  t.like(await master.ended, { end: 'rate_limited', code: 4429 });
});

test('session ports keep both budgets: many requests arrive paced, 20 MB of events arrive at once, nothing is closed', async (t) => {
  t.timeout(30_000);
  const { master, worker } = await pair(t);
  const requests = new SessionPort(master.session, 'request', DEFAULT_LIMITS.outboundHighWater, DEFAULT_LIMITS);
  for (let i = 0; i < 260; i++) requests.send({ v: 1, id: i, type: 'list' });
  const events = new SessionPort(worker.session, 'reply', 64 * 1024 * 1024, DEFAULT_LIMITS);
  for (let i = 0; i < 2000; i++) events.send({ v: 1, type: 'event', subscription: 1, event: { type: 'log', lines: [{ line: 'z'.repeat(10_000) }] } });
  const lines = (end: End): number => end.received.reduce((n, m) => n + (m.type === 'request' || m.type === 'reply' ? m.text.split('\n').length : 0), 0);
  await waitFor(() => lines(master) >= 2000, { timeoutMs: 20_000, what: `2000 events (got ${lines(master)})` });
  await waitFor(() => lines(worker) === 260, { timeoutMs: 20_000, what: `260 requests (got ${lines(worker)})` });
  t.false(master.session.ended || worker.session.ended);
});

test('rates below what a paced sender needs (one message, one full frame at once) are refused when the config loads', (t) => {
  const error = t.throws(() => federation({ name: 'nas', limits: { messagesPerSecond: 2, bytesPerSecond: 64 * 1024 } }));
  t.regex(error?.message ?? '', /limits\.messagesPerSecond: expected a number of at least 4, got 2 \(number\)/);
  t.regex(error?.message ?? '', /limits\.bytesPerSecond: expected a number of at least 1048576, got 65536 \(number\)/);
  t.notThrows(() => federation({ name: 'nas', limits: { bytesPerSecond: 16 * 1024 * 1024 } }));
});
