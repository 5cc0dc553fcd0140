import type { MessagePort, PortHandler } from './port.js';

export interface MemoryPortOptions {
  /** `send` returns false past this many queued bytes. Default 1 MiB. */
  readonly highWaterMark?: number;
  /** Longest message a side accepts; longer ones reach its handler as `oversized`. Default 1 MiB. */
  readonly maxMessageBytes?: number;
}

const MIB = 1024 * 1024;

/**
 * One side of an in-memory pair. Messages travel as JSON text, one per turn of the event loop, so the
 * far side sees what a wire would deliver: copies, in order, later than they were sent.
 */
class MemoryPort implements MessagePort {
  peer: MemoryPort | undefined;
  private handler: PortHandler | undefined;
  private readonly queue: string[] = [];
  private queued = 0;
  private congested = false;
  private flushing = false;
  private paused = false;
  private ended = false;
  private peerEnded = false;
  private isClosed = false;

  constructor(
    private readonly highWaterMark: number,
    private readonly maxMessageBytes: number,
  ) {}

  attach(handler: PortHandler): void {
    this.handler = handler;
    if (this.isClosed) handler.close?.(undefined);
    else this.peer?.schedule();
  }

  send(message: object): boolean {
    if (!this.writable) return false;
    const text = JSON.stringify(message);
    this.queue.push(text);
    this.queued += Buffer.byteLength(text);
    this.schedule();
    this.congested ||= this.queued > this.highWaterMark;
    return !this.congested;
  }

  bufferedBytes(): number {
    return this.queued;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.peer?.schedule();
  }

  end(): void {
    if (this.ended || this.isClosed) return;
    this.ended = true;
    this.schedule();
  }

  destroy(reason?: string): void {
    this.closeWith(reason);
    this.peer?.closeWith(undefined);
  }

  get writable(): boolean {
    return !this.ended && !this.isClosed;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Hands queued messages to the peer on a later turn, as long as it is attached and reading. */
  schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      this.flush();
    });
  }

  private flush(): void {
    const peer = this.peer;
    if (!peer || this.isClosed) return;
    while (this.queue.length > 0 && peer.reading()) {
      const text = this.queue.shift() ?? '';
      this.queued -= Buffer.byteLength(text);
      peer.receive(text);
    }
    if (this.congested && this.queued <= this.highWaterMark) {
      this.congested = false;
      this.handler?.drain?.();
    }
    if (this.queue.length === 0 && this.ended && peer.reading()) peer.onPeerEnd();
  }

  private reading(): boolean {
    return this.handler !== undefined && !this.paused && !this.isClosed;
  }

  private receive(text: string): void {
    if (Buffer.byteLength(text) > this.maxMessageBytes) this.handler?.oversized?.(this.maxMessageBytes);
    else this.handler?.message(text);
  }

  private onPeerEnd(): void {
    if (this.peerEnded) return;
    this.peerEnded = true;
    this.handler?.end?.(0);
    if (this.ended) this.destroy();
  }

  private closeWith(reason: string | undefined): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.queue.length = 0;
    this.queued = 0;
    this.handler?.close?.(reason);
  }
}

/** Two connected ports, for tests and for running a client and a server in one process. */
export function memoryPortPair(options: MemoryPortOptions = {}): readonly [MessagePort, MessagePort] {
  const highWaterMark = options.highWaterMark ?? MIB;
  const maxMessageBytes = options.maxMessageBytes ?? MIB;
  const a = new MemoryPort(highWaterMark, maxMessageBytes);
  const b = new MemoryPort(highWaterMark, maxMessageBytes);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
