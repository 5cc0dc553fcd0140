import type net from 'node:net';
import { assertNever } from '../model/assert.js';
import type { ActionResult, Controller } from '../model/controller.js';
import type { LogLine, SupervisorEvent } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import { LineReader } from './lines.js';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION, decode, encode, type HelloResult, type ProtocolError, type Request } from './protocol.js';

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
  readonly stop: () => void;
  readonly skipped: Map<InstanceId, Skipped>;
}

/** Serves one client: requests in, replies and events out; a client that does not read never blocks anyone. */
export class Connection {
  private readonly reader = new LineReader(MAX_MESSAGE_BYTES);
  private readonly subscriptions = new Map<number, Subscription>();
  private inFlight = 0;
  private ended = false;
  private stuckSince: number | undefined;

  constructor(
    private readonly socket: net.Socket,
    private readonly controller: Controller,
    private readonly hello: HelloResult,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('end', () => this.onEnd());
    socket.on('error', () => undefined);
    socket.once('close', () => this.dispose());
  }

  /** Ends the connection after what is queued has been written; destroys it if that takes too long. */
  async close(graceMs: number): Promise<void> {
    this.dispose();
    if (this.socket.destroyed) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), graceMs);
    await closed;
    clearTimeout(timer);
  }

  private onData(chunk: Buffer): void {
    this.reader.push(chunk, (event) => {
      if (event.kind === 'too_large') this.replyError(null, { code: 'too_large', message: `a message may be at most ${event.limit} bytes; the rest of this line is ignored` });
      else this.onLine(event.text);
    });
    // A client that sends faster than it reads waits for its replies to drain instead of growing our buffer.
    if (this.socket.writableLength > SOFT_BUFFER_BYTES) this.socket.pause();
  }

  private onLine(text: string): void {
    const decoded = decode(text);
    if (!decoded.ok) return this.replyError(decoded.id, decoded.error);
    this.inFlight++;
    this.handle(decoded.message).then(
      (result) => this.write({ v: PROTOCOL_VERSION, type: 'reply', id: decoded.message.id, ok: true, result }),
      (error: unknown) => this.replyError(decoded.message.id, { code: 'internal', message: error instanceof Error ? error.message : String(error) }),
    ).finally(() => {
      this.inFlight--;
      this.endIfDone();
    });
  }

  private async handle(request: Request): Promise<unknown> {
    const c = this.controller;
    switch (request.type) {
      case 'hello':
        return this.hello;
      case 'list':
        return c.list();
      case 'describe':
        return c.describe(request.target);
      case 'start':
        return c.start(request.target);
      case 'stop':
        return c.stop(request.target);
      case 'restart':
        return request.updateEnv === undefined ? c.restart(request.target) : c.restart(request.target, { updateEnv: request.updateEnv });
      case 'reload':
        return c.reload(request.target, { planOnly: request.planOnly });
      case 'signal':
        return c.signal(request.signal, request.target);
      case 'flush':
        return c.flush(request.target);
      case 'logs':
        return c.logs(request.target, request.streams === undefined ? { lines: request.lines } : { lines: request.lines, streams: request.streams });
      case 'subscribe':
        this.subscribe(request.id, request.logs, request.metrics ?? true);
        return { subscription: request.id };
      case 'unsubscribe':
        this.subscriptions.get(request.subscription)?.stop();
        this.subscriptions.delete(request.subscription);
        return { subscription: request.subscription };
      case 'shutdown':
        await c.shutdown(request.reason);
        return { stopped: true };
      case 'add':
        return c.addApp ? c.addApp(request.app, request.cwd) : unsupported('start a script');
      case 'delete':
        return c.deleteApp ? c.deleteApp(request.target) : unsupported('delete');
      case 'scale':
        return c.scale ? c.scale(request.app, request.change) : unsupported('scale');
      case 'reset':
        return c.reset ? c.reset(request.target) : unsupported('reset');
      default:
        return assertNever(request, 'request');
    }
  }

  private subscribe(id: number, logs: string, metrics: boolean): void {
    this.subscriptions.get(id)?.stop();
    const skipped = new Map<InstanceId, Skipped>();
    const stop = this.controller.subscribe((event) => this.deliver(id, skipped, event), { logs, metrics });
    this.subscriptions.set(id, { stop, skipped });
  }

  private deliver(id: number, skipped: Map<InstanceId, Skipped>, event: SupervisorEvent): void {
    if (this.socket.destroyed) return;
    if (this.socket.writableLength > SOFT_BUFFER_BYTES) {
      this.stuckSince ??= Date.now();
      if (this.socket.writableLength > HARD_BUFFER_BYTES || Date.now() - this.stuckSince > STUCK_MS) {
        this.socket.destroy();
        return;
      }
      if (event.type === 'log') return countSkipped(skipped, event.lines);
      if (event.type === 'metrics') return;
    }
    this.sendSkipped(id, skipped);
    this.write({ v: PROTOCOL_VERSION, type: 'event', subscription: id, event });
  }

  private sendSkipped(id: number, skipped: Map<InstanceId, Skipped>): void {
    if (skipped.size === 0) return;
    const lines = [...skipped.values()].map(({ line, count }) => ({ ...line, stream: 'err' as const, line: `[… ${count} line${count === 1 ? '' : 's'} skipped: this client did not read fast enough]` }));
    skipped.clear();
    this.write({ v: PROTOCOL_VERSION, type: 'event', subscription: id, event: { type: 'log', lines } });
  }

  private onDrain(): void {
    this.stuckSince = undefined;
    for (const [id, subscription] of this.subscriptions) this.sendSkipped(id, subscription.skipped);
    if (this.socket.isPaused()) this.socket.resume();
  }

  private onEnd(): void {
    this.ended = true;
    if (this.reader.pending > 0) this.replyError(null, { code: 'bad_json', message: 'the connection ended in the middle of a message' });
    this.endIfDone();
  }

  private endIfDone(): void {
    if (this.ended && this.inFlight === 0 && !this.socket.destroyed) this.socket.end();
  }

  private replyError(id: number | null, error: ProtocolError): void {
    this.write({ v: PROTOCOL_VERSION, type: 'reply', id, ok: false, error });
  }

  private write(message: Parameters<typeof encode>[0]): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(encode(message));
  }

  private dispose(): void {
    for (const subscription of this.subscriptions.values()) subscription.stop();
    this.subscriptions.clear();
  }
}

function unsupported(what: string): ActionResult {
  return { ok: false, code: 'failed', message: `this supervisor cannot ${what}` };
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
