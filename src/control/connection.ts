import type { LogThrottle } from '../model/controller.js';
import type { LogLine, SupervisorEvent } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import { creditWeight, MAX_CREDIT_BYTES } from '../model/log-credit.js';
import type { MessagePort } from './port.js';
import { answer, type Answer, type AnswerContext } from './answer.js';
import { ThrottledLogs } from './log-throttle.js';
import { PROTOCOL_VERSION, type ProtocolError, type Request, type OutgoingMessage } from './protocol.js';
import { packLines } from './log-runs.js';
import { decode } from './request-decode.js';

/** Past this much unsent output, log and metrics events for the connection are dropped (and counted). */
export const SOFT_BUFFER_BYTES = 1024 * 1024;
/** Past this much, or stuck past the soft bound for STUCK_MS, the client is cut off. */
export const HARD_BUFFER_BYTES = 16 * 1024 * 1024;
export const STUCK_MS = 30_000;

/** The latest line skipped for an instance (the marker takes its place in the order) and how many were. */
interface Skipped {
  line: LogLine;
  count: number;
}

interface Subscription {
  stop: () => void;
  readonly skipped: Map<InstanceId, Skipped>;
  /** Log lines go as runs (log-runs.ts): the client asked for them so. */
  readonly packed: boolean;
  /** Bytes of log lines the client has granted and not been sent yet; undefined: no flow control asked for. */
  credit: number | undefined;
  /** Lines went without credit since the last grant: their marker waits for the next one. */
  owed: boolean;
}

/** Serves one client: requests in, replies and events out; a client that does not read never blocks anyone. */
export class Connection {
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly closed: Promise<void>;
  private inFlight = 0;
  private ended = false;
  private stuckSince: number | undefined;

  constructor(
    private readonly port: MessagePort,
    private readonly context: AnswerContext,
  ) {
    let onClose: () => void = () => undefined;
    this.closed = new Promise((resolve) => (onClose = resolve));
    port.attach({
      message: (data) => this.onMessage(data),
      oversized: (limit) => this.replyError(null, { code: 'too_large', message: `a message may be at most ${limit} bytes; the rest of this line is ignored` }),
      end: (unfinished) => this.onEnd(unfinished),
      drain: () => this.onDrain(),
      close: () => {
        this.dispose();
        onClose();
      },
    });
  }

  /** Ends the connection after what is queued has been written; destroys it if that takes too long. */
  async close(graceMs: number): Promise<void> {
    this.dispose();
    if (this.port.closed) return;
    this.port.end();
    const timer = setTimeout(() => this.port.destroy(), graceMs);
    await this.closed;
    clearTimeout(timer);
  }

  private onMessage(data: unknown): void {
    // A client that sends faster than it reads waits for its replies to drain instead of growing our buffer.
    if (this.port.bufferedBytes() > SOFT_BUFFER_BYTES) this.port.pause();
    const decoded = decode(data);
    if (!decoded.ok) return this.replyError(decoded.id, decoded.error);
    const { id } = decoded.message;
    this.inFlight++;
    this.handle(decoded.message)
      .then(
        (answer) => (answer.ok ? this.write({ v: PROTOCOL_VERSION, type: 'reply', id, ok: true, result: answer.result }) : this.replyError(id, answer.error)),
        (error: unknown) => this.replyError(id, { code: 'internal', message: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        this.inFlight--;
        this.endIfDone();
      });
  }

  private async handle(request: Request): Promise<Answer> {
    switch (request.type) {
      case 'subscribe':
        this.subscribe(request.id, request.logs, request.metrics ?? true, request.throttle, request.packed === true, request.credit);
        return { ok: true, result: { subscription: request.id } };
      case 'grant':
        return { ok: true, result: this.grant(request.subscription, request.bytes) };
      case 'unsubscribe':
        this.subscriptions.get(request.subscription)?.stop();
        this.subscriptions.delete(request.subscription);
        return { ok: true, result: { subscription: request.subscription } };
      default:
        return answer(request, this.context);
    }
  }

  private subscribe(id: number, logs: string, metrics: boolean, throttle: LogThrottle | undefined, packed: boolean, credit: number | undefined): void {
    this.subscriptions.get(id)?.stop();
    // Registered before the controller is asked: it sends the snapshot from within subscribe().
    const subscription: Subscription = { stop: () => undefined, skipped: new Map(), packed, credit, owed: false };
    this.subscriptions.set(id, subscription);
    const send = (event: SupervisorEvent): void => this.deliver(id, subscription, event);
    const throttled = throttle ? new ThrottledLogs(throttle, send) : undefined;
    const unsubscribe = this.context.controller.subscribe(throttled ? (event) => throttled.deliver(event) : send, { logs, metrics });
    subscription.stop = (): void => {
      unsubscribe();
      throttled?.dispose();
    };
  }

  /** More credit for a subscription's log lines; the lines it went without are counted to it at once. */
  private grant(id: number, bytes: number): { readonly subscription: number; readonly credit?: number } {
    const subscription = this.subscriptions.get(id);
    if (subscription?.credit === undefined) return { subscription: id };
    subscription.credit = Math.min(MAX_CREDIT_BYTES, subscription.credit + bytes);
    subscription.owed = false;
    if (this.port.writable && this.port.bufferedBytes() <= SOFT_BUFFER_BYTES) this.sendSkipped(id, subscription.skipped, subscription.packed);
    return { subscription: id, credit: subscription.credit };
  }

  private deliver(id: number, subscription: Subscription, event: SupervisorEvent): void {
    if (!this.port.writable) return;
    const { skipped, packed, credit, owed } = subscription;
    const buffered = this.port.bufferedBytes();
    if (buffered > SOFT_BUFFER_BYTES) {
      this.stuckSince ??= Date.now();
      if (!this.port.keepsSlowReaders && (buffered > HARD_BUFFER_BYTES || Date.now() - this.stuckSince > STUCK_MS)) {
        this.port.destroy('the client did not read its events');
        return;
      }
      if (event.type === 'log') return countSkipped(skipped, event.lines);
      if (event.type === 'metrics') return;
    }
    // Markers of lines that went without credit wait until there is credit again: then they lead what it pays for.
    if (!owed) this.sendSkipped(id, skipped, packed);
    const paid = event.type === 'log' && credit !== undefined ? withinCredit(subscription, event.lines) : event;
    if (paid) this.sendEvent(id, packed, paid);
  }

  private sendEvent(id: number, packed: boolean, event: SupervisorEvent): void {
    if (packed && event.type === 'log') this.write({ v: PROTOCOL_VERSION, type: 'event', subscription: id, event: { type: 'log', runs: packLines(event.lines) } });
    else this.write({ v: PROTOCOL_VERSION, type: 'event', subscription: id, event });
  }

  private sendSkipped(id: number, skipped: Map<InstanceId, Skipped>, packed: boolean): void {
    if (skipped.size === 0) return;
    const lines = [...skipped.values()].map(({ line, count }) => ({ ...line, stream: 'err' as const, line: `[… ${count} line${count === 1 ? '' : 's'} skipped: this client did not read fast enough]`, skipped: count }));
    skipped.clear();
    this.sendEvent(id, packed, { type: 'log', lines });
  }

  private onDrain(): void {
    this.stuckSince = undefined;
    for (const [id, subscription] of this.subscriptions) this.sendSkipped(id, subscription.skipped, subscription.packed);
    this.port.resume();
  }

  private onEnd(unfinished: number): void {
    this.ended = true;
    if (unfinished > 0) this.replyError(null, { code: 'bad_json', message: 'the connection ended in the middle of a message' });
    this.endIfDone();
  }

  private endIfDone(): void {
    if (this.ended && this.inFlight === 0 && this.port.writable) this.port.end();
  }

  private replyError(id: number | null, error: ProtocolError): void {
    this.write({ v: PROTOCOL_VERSION, type: 'reply', id, ok: false, error });
  }

  private write(message: OutgoingMessage): void {
    this.port.send(message);
  }

  private dispose(): void {
    for (const subscription of this.subscriptions.values()) subscription.stop();
    this.subscriptions.clear();
  }
}

/** The lines the subscription's credit pays for, in order; the others are counted as skipped. Undefined when none is left to send. */
function withinCredit(subscription: Subscription, lines: readonly LogLine[]): SupervisorEvent | undefined {
  let credit = subscription.credit ?? 0;
  // An instance whose lines went unpaid before, and whose marker still waits for a grant, stays gapped: no
  // line of it is shown before that marker.
  const gapped = new Set<InstanceId>(subscription.owed ? subscription.skipped.keys() : []);
  let weight = 0;
  for (const line of lines) weight += creditWeight(line.line);
  if (weight <= credit && gapped.size === 0) {
    subscription.credit = credit - weight;
    return { type: 'log', lines };
  }
  const paid: LogLine[] = [];
  const unpaid: LogLine[] = [];
  for (const line of lines) {
    const cost = creditWeight(line.line);
    // Once a line of an instance goes unpaid, its later ones in the batch do too: none is shown past a gap
    // before the marker that counts it.
    if (cost <= credit && !gapped.has(line.id)) {
      credit -= cost;
      paid.push(line);
    } else {
      gapped.add(line.id);
      unpaid.push(line);
    }
  }
  subscription.credit = credit;
  subscription.owed = true;
  countSkipped(subscription.skipped, unpaid);
  return paid.length > 0 ? { type: 'log', lines: paid } : undefined;
}

function countSkipped(skipped: Map<InstanceId, Skipped>, lines: readonly LogLine[]): void {
  for (const line of lines) {
    const seen = skipped.get(line.id);
    if (seen) {
      seen.line = line;
      seen.count++;
    } else skipped.set(line.id, { line, count: 1 });
  }
}
