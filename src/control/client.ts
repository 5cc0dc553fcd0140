import net from 'node:net';
import type { ActionResult, Controller, DescribeResult, LogQuery, LogsResult, ReloadResult, RestartOptions, ScaleChange, SubscribeOptions, Target, Unsubscribe } from '../model/controller.js';
import type { InstanceInfo, SupervisorEvent } from '../model/events.js';
import { withRuns, type LogRun } from '../model/log-runs.js';
import type { PanelResult, PluginViews } from '../model/plugin.js';
import { ControlError } from './errors.js';
import { DEFAULT_HEARTBEAT, Heartbeat, type HeartbeatOptions } from './heartbeat.js';
import { GrantSender } from './grants.js';
import { PendingReplies } from './pending.js';
import type { MessagePort } from './port.js';
import { PROTOCOL_RANGE, PROTOCOL_VERSION, commonVersion, describeRange, type HelloResult, type RequestBody, type RequestType, type ResultMap, type ServerMessage } from './protocol.js';
import { decodeResult, decodeServerMessage, type RunsMessage } from './reply-decode.js';
import { SocketPort } from './socket-port.js';

/** Replies can be big (a log tail); the client trusts its own supervisor more than the server trusts clients. */
const CLIENT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export interface ControlClientOptions {
  /** How often to ping a silent server and when to give it up; false for none. */
  readonly heartbeat?: HeartbeatOptions | false;
  /** Told of what the server sent that could not be used (a malformed event, dropped); default: a line on stderr. */
  readonly onProblem?: (message: string) => void;
}

function reportOnStderr(message: string): void {
  process.stderr.write(`node-unit: ${message}\n`);
}

/** A subscription's listener, and where its log lines go as runs when it asked for them so. */
interface Listening {
  readonly listener: (event: SupervisorEvent) => void;
  readonly runs: ((runs: readonly LogRun[]) => void) | undefined;
}

/** A Controller on the far side of a control connection: a viewer cannot tell it from the in-process one. */
export class ControlClient implements Controller {
  private nextId = 1;
  private readonly pending = new PendingReplies();
  private readonly listeners = new Map<number, Listening>();
  private readonly heartbeat: Heartbeat | undefined;
  private readonly handshake: Promise<HelloResult>;
  private readonly onProblem: (message: string) => void;
  private failure: ControlError | undefined;
  private closeRequested = false;
  private lastRtt: number | undefined;
  /** Settles when the connection is gone, for whatever reason (see closeReason). */
  readonly closed: Promise<void>;

  constructor(
    private readonly port: MessagePort,
    options: ControlClientOptions = {},
  ) {
    this.onProblem = options.onProblem ?? reportOnStderr;
    let onClose: () => void = () => undefined;
    this.closed = new Promise((resolve) => (onClose = resolve));
    const heartbeat = options.heartbeat ?? DEFAULT_HEARTBEAT;
    if (heartbeat) {
      this.heartbeat = new Heartbeat(heartbeat, () => void this.ping().catch(() => undefined), (silentMs) => this.giveUp(silentMs));
    }
    port.attach({
      message: (data) => this.receive(data),
      oversized: () => this.breakWith(new ControlError('protocol', 'the supervisor sent a reply too large to read')),
      // The server has said all it will: this side ends too, so the port closes (a socket does so by itself).
      end: () => this.port.end(),
      close: (reason) => {
        this.heartbeat?.stop();
        this.failure ??= new ControlError('closed', reason === undefined ? 'the supervisor closed the connection' : `the connection to the supervisor broke: ${reason}`);
        this.pending.failAll(this.failure);
        onClose();
      },
    });
    // Sent at once and not waited for: requests follow in the same breath, and each result waits for it.
    this.handshake = this.request('hello', PROTOCOL_RANGE).then(
      (hello) => this.checkVersions(hello),
      (error: unknown) => {
        // Nothing else can be said once the versions do not meet: every call fails with this.
        if (error instanceof ControlError && error.code === 'version') this.breakWith(error);
        throw error;
      },
    );
    this.handshake.catch(() => undefined);
  }

  /** Why the connection is gone: undefined while it is up, and after a close this side asked for. */
  get closeReason(): ControlError | undefined {
    return this.closeRequested && this.failure?.code === 'closed' ? undefined : this.failure;
  }

  /** Round-trip time of the latest ping, in milliseconds. */
  get rtt(): number | undefined {
    return this.lastRtt;
  }

  hello(): Promise<HelloResult> {
    return this.handshake;
  }

  /** One round trip to the server; resolves with its time in milliseconds. */
  async ping(): Promise<number> {
    const sent = performance.now();
    await this.request('ping', {});
    this.lastRtt = performance.now() - sent;
    return this.lastRtt;
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

  /** Calls a method a plugin of the supervisor offers; what it answers is the caller's to check. */
  callPlugin(plugin: string, method: string, params: unknown = null): Promise<unknown> {
    return this.call('plugin', { plugin, method, params });
  }

  views(): Promise<PluginViews> {
    return this.call('views', {});
  }

  panel(plugin: string, id: string, width: number): Promise<PanelResult> {
    return this.call('panel', { plugin, panel: id, width });
  }

  subscribe(listener: (event: SupervisorEvent) => void, options: SubscribeOptions = {}): Unsubscribe {
    const id = this.nextId++;
    this.listeners.set(id, { listener, runs: options.runs });
    const { credit } = options;
    // Packed: log lines come as runs, one string per run rather than one object per line (log-runs.ts). A server
    // that does not know the field sends lines, which decode as well.
    this.send(id, 'subscribe', { logs: options.logs ?? 'all', metrics: options.metrics ?? true, packed: true, ...(options.throttle ? { throttle: options.throttle } : {}), ...(credit ? { credit: credit.initial } : {}) }).catch(() => this.listeners.delete(id));
    const grants = credit ? new GrantSender((bytes) => this.call('grant', { subscription: id, bytes })) : undefined;
    const unlisten = credit && grants ? credit.listen((bytes) => grants.add(bytes)) : undefined;
    return () => {
      unlisten?.();
      grants?.stop();
      if (!this.listeners.delete(id)) return;
      this.call('unsubscribe', { subscription: id }).catch(() => undefined);
    };
  }

  /** Resolves when the supervisor has stopped everything, or has gone away (which is the same news). */
  async shutdown(reason: string): Promise<void> {
    await Promise.race([this.call('shutdown', { reason }).catch(() => undefined), this.closed]);
  }

  /**
   * With no reply or event still to come there is nothing left to hear: the port closes at once instead of
   * waiting for the supervisor to answer a half-close (a round trip through its busy event loop).
   */
  close(): Promise<void> {
    // The heartbeat runs on until the port closes: a server that dies during a half-close is still given up.
    this.closeRequested = true;
    if (!this.pending.awaitsAnswer() && this.listeners.size === 0) {
      this.failure ??= new ControlError('closed', 'the connection was closed by this client');
      this.port.destroy();
    } else this.port.end();
    return this.closed;
  }

  /** A request whose result also waits for the version check, so a version mismatch is the error every call reports. */
  private async call<T extends RequestType>(type: T, body: RequestBody<T>): Promise<ResultMap[T]> {
    const outcome = await this.request(type, body).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    await this.handshake;
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  private async request<T extends RequestType>(type: T, body: RequestBody<T>): Promise<ResultMap[T]> {
    const result = await this.send(this.nextId++, type, body);
    const decoded = decodeResult(type, result);
    if (!decoded.ok) throw new ControlError('bad_reply', `the supervisor's reply to ${type} is malformed: ${decoded.error}`);
    return decoded.value;
  }

  private send<T extends RequestType>(id: number, type: T, body: RequestBody<T>): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.port.writable) return Promise.reject(new ControlError('closed', 'the connection to the supervisor is closed'));
    const reply = this.pending.expect(id, type);
    this.port.send({ v: PROTOCOL_VERSION, id, type, ...body });
    return reply;
  }

  private checkVersions(hello: HelloResult): HelloResult {
    const server = hello.protocols ?? { min: hello.protocol, max: hello.protocol };
    if (commonVersion(server, PROTOCOL_RANGE) !== undefined) return hello;
    const error = new ControlError('version', `the supervisor (node-unit ${hello.version}, pid ${hello.pid}) speaks protocol ${describeRange(server)}; this client speaks ${describeRange(PROTOCOL_RANGE)}: use the same node-unit on both sides`);
    this.breakWith(error);
    throw error;
  }

  private receive(data: unknown): void {
    this.heartbeat?.heard();
    const decoded = decodeServerMessage(data, (subscription) => this.listeners.get(subscription)?.runs !== undefined);
    if (decoded.ok) return this.dispatch(decoded.message);
    if ('subscription' in decoded) {
      // One bad event is dropped and reported; the viewer keeps what it has and goes on with the next.
      if (this.listeners.has(decoded.subscription)) this.onProblem(`the supervisor sent a malformed event, dropped: ${decoded.error.message}`);
      return;
    }
    this.breakWith(new ControlError('protocol', `the supervisor sent a bad message (${decoded.error.code}: ${decoded.error.message})`));
  }

  private dispatch(message: ServerMessage | RunsMessage): void {
    if (message.type === 'runs') {
      this.listeners.get(message.subscription)?.runs?.(message.runs);
      return;
    }
    if (message.type === 'event') {
      const listening = this.listeners.get(message.subscription);
      if (listening) withRuns(listening.listener, listening.runs)(message.event);
      return;
    }
    this.pending.settle(message);
  }

  private giveUp(silentMs: number): void {
    this.breakWith(new ControlError('unresponsive', `the supervisor has not answered for ${(silentMs / 1000).toFixed(1)} s although its connection is open: it may be stopped (SIGSTOP) or hung`));
  }

  private breakWith(error: ControlError): void {
    this.failure ??= error;
    this.port.destroy(error.message);
  }

}

/** Connects to a supervisor's control socket; no supervisor there → ControlError 'not_running'. */
export function connectControl(socketPath: string, options: ControlClientOptions = {}): Promise<ControlClient> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(new ControlClient(new SocketPort(socket, CLIENT_MAX_MESSAGE_BYTES), options));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      const absent = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' || error.code === 'ENOTSOCK';
      reject(new ControlError(absent ? 'not_running' : 'closed', absent ? `no supervisor listens on ${socketPath}` : `cannot connect to ${socketPath}: ${error.message}`));
    });
  });
}
