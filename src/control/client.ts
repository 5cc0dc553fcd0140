import net from 'node:net';
import type { ActionResult, Controller, DescribeResult, LogQuery, LogsResult, ReloadResult, RestartOptions, ScaleChange, SubscribeOptions, Target, Unsubscribe } from '../model/controller.js';
import type { InstanceInfo, SupervisorEvent } from '../model/events.js';
import { ControlError } from './errors.js';
import { LineReader } from './lines.js';
import { PROTOCOL_VERSION, decodeServerMessage, encode, type HelloResult, type Request, type RequestType, type ResultMap, type ServerMessage } from './protocol.js';

/** Replies can be big (a log tail); the client trusts its own supervisor more than the server trusts clients. */
const CLIENT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

type Body<T extends RequestType> = Omit<Extract<Request, { type: T }>, 'v' | 'id' | 'type'>;

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** A Controller on the far side of the control socket: a viewer cannot tell it from the in-process one. */
export class ControlClient implements Controller {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<number, (event: SupervisorEvent) => void>();
  private readonly reader = new LineReader(CLIENT_MAX_MESSAGE_BYTES);
  private protocolError: string | undefined;
  /** Settles when the connection is gone, for whatever reason. */
  readonly closed: Promise<void>;

  constructor(private readonly socket: net.Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.reader.push(chunk, (event) => (event.kind === 'line' ? this.receive(event.text) : this.breakWith('a reply was too large'))));
    socket.on('error', () => undefined);
    socket.once('close', () => this.failPending());
  }

  hello(): Promise<HelloResult> {
    return this.call('hello', {});
  }

  list(): Promise<readonly InstanceInfo[]> {
    return this.call('list', {});
  }

  describe(target: Target): Promise<DescribeResult> {
    return this.call('describe', { target });
  }

  start(target: Target): Promise<ActionResult> {
    return this.call('start', { target });
  }

  stop(target: Target): Promise<ActionResult> {
    return this.call('stop', { target });
  }

  restart(target: Target, options: RestartOptions = {}): Promise<ActionResult> {
    return this.call('restart', options.updateEnv === undefined ? { target } : { target, updateEnv: options.updateEnv });
  }

  addApp(app: Readonly<Record<string, unknown>>, cwd: string): Promise<ActionResult> {
    return this.call('add', { app, cwd });
  }

  deleteApp(target: Target): Promise<ActionResult> {
    return this.call('delete', { target });
  }

  scale(app: string, change: ScaleChange): Promise<ActionResult> {
    return this.call('scale', { app, change });
  }

  reset(target: Target): Promise<ActionResult> {
    return this.call('reset', { target });
  }

  reload(target: Target | undefined, options: { readonly planOnly: boolean }): Promise<ReloadResult> {
    return this.call('reload', target === undefined ? { planOnly: options.planOnly } : { target, planOnly: options.planOnly });
  }

  signal(signal: NodeJS.Signals, target: Target): Promise<ActionResult> {
    return this.call('signal', { signal, target });
  }

  flush(target: Target | undefined): Promise<ActionResult> {
    return this.call('flush', target === undefined ? {} : { target });
  }

  logs(target: Target | undefined, query: LogQuery): Promise<LogsResult> {
    const streams = query.streams === undefined ? {} : { streams: query.streams };
    return this.call('logs', target === undefined ? { lines: query.lines, ...streams } : { target, lines: query.lines, ...streams });
  }

  subscribe(listener: (event: SupervisorEvent) => void, options: SubscribeOptions = {}): Unsubscribe {
    const id = this.nextId++;
    this.listeners.set(id, listener);
    this.send(id, 'subscribe', { logs: options.logs ?? 'all', metrics: options.metrics ?? true }).catch(() => this.listeners.delete(id));
    return () => {
      if (!this.listeners.delete(id)) return;
      this.call('unsubscribe', { subscription: id }).catch(() => undefined);
    };
  }

  /** Resolves when the supervisor has stopped everything, or has gone away (which is the same news). */
  async shutdown(reason: string): Promise<void> {
    await Promise.race([this.call('shutdown', { reason }).catch(() => undefined), this.closed]);
  }

  /**
   * With no reply or event still to come there is nothing left to hear: the socket closes at once instead of
   * waiting for the supervisor to answer a half-close (a round trip through its busy event loop).
   */
  close(): Promise<void> {
    if (this.pending.size === 0 && this.listeners.size === 0) this.socket.destroy();
    else this.socket.end();
    return this.closed;
  }

  private call<T extends RequestType>(type: T, body: Body<T>): Promise<ResultMap[T]> {
    // The reply to a request of type T carries ResultMap[T]: both ends checked the protocol version.
    return this.send(this.nextId++, type, body) as Promise<ResultMap[T]>;
  }

  private send<T extends RequestType>(id: number, type: T, body: Body<T>): Promise<unknown> {
    if (this.socket.destroyed || this.protocolError) return Promise.reject(new ControlError('closed', this.protocolError ?? 'the connection to the supervisor is closed'));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(encode({ v: PROTOCOL_VERSION, id, type, ...body } as Request));
    });
  }

  private receive(text: string): void {
    const decoded = decodeServerMessage(text);
    if (!decoded.ok) return this.breakWith(`the supervisor sent a bad message (${decoded.error.code}: ${decoded.error.message})`);
    this.dispatch(decoded.message);
  }

  private dispatch(message: ServerMessage): void {
    if (message.type === 'event') {
      this.listeners.get(message.subscription)?.(message.event);
      return;
    }
    const waiting = message.id === null ? undefined : this.pending.get(message.id);
    if (!waiting || message.id === null) return;
    this.pending.delete(message.id);
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(new ControlError('protocol', `${message.error.code}: ${message.error.message}`));
  }

  private breakWith(reason: string): void {
    this.protocolError = reason;
    this.socket.destroy();
  }

  private failPending(): void {
    const error = new ControlError('closed', this.protocolError ?? 'the supervisor closed the connection');
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** Connects to a supervisor's control socket; no supervisor there → ControlError 'not_running'. */
export function connectControl(socketPath: string): Promise<ControlClient> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(new ControlClient(socket));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      const absent = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' || error.code === 'ENOTSOCK';
      reject(new ControlError(absent ? 'not_running' : 'closed', absent ? `no supervisor listens on ${socketPath}` : `cannot connect to ${socketPath}: ${error.message}`));
    });
  });
}
