import type net from 'node:net';
import { LineReader, ndjsonLine } from './lines.js';
import type { MessagePort, PortHandler } from './port.js';

/** A stream socket (the unix control socket) as a message port: one JSON message per line. */
export class SocketPort implements MessagePort {
  private readonly reader: LineReader;
  private handler: PortHandler | undefined;
  private reason: string | undefined;
  private isClosed = false;

  constructor(
    private readonly socket: net.Socket,
    /** Longest line accepted from the peer; longer ones are reported and skipped, never buffered whole. */
    maxMessageBytes: number,
  ) {
    this.reader = new LineReader(maxMessageBytes);
    socket.on('error', (error: Error) => (this.reason ??= error.message));
    socket.once('close', () => {
      this.isClosed = true;
      this.handler?.close?.(this.reason);
    });
  }

  attach(handler: PortHandler): void {
    this.handler = handler;
    if (this.isClosed) {
      handler.close?.(this.reason);
      return;
    }
    // Until now the socket held what arrived: a net socket flows only once it has a 'data' listener.
    this.socket.on('data', (chunk: Buffer) =>
      this.reader.push(chunk, (event) => (event.kind === 'line' ? handler.message(event.text) : handler.oversized?.(event.limit))),
    );
    this.socket.on('end', () => handler.end?.(this.reader.pending));
    this.socket.on('drain', () => handler.drain?.());
  }

  send(message: object): boolean {
    if (!this.writable) return false;
    return this.socket.write(ndjsonLine(message));
  }

  bufferedBytes(): number {
    return this.socket.writableLength;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    if (this.socket.isPaused()) this.socket.resume();
  }

  end(): void {
    if (!this.socket.destroyed) this.socket.end();
  }

  destroy(reason?: string): void {
    this.reason ??= reason;
    this.socket.destroy();
  }

  get writable(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  get closed(): boolean {
    return this.isClosed;
  }
}
