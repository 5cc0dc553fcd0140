import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { PROTOCOL_RANGE, PROTOCOL_VERSION } from '../../src/control/protocol.js';
import { tempDir } from '../helpers/tmp.js';

/** A request line as a scripted server sees it. */
export interface RawRequest {
  readonly id: number;
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface RawPeer {
  readonly socket: net.Socket;
  /** Resolves with the next request the client sends (hello excepted when the server answers it itself). */
  readonly nextRequest: () => Promise<RawRequest>;
  /** Writes one NDJSON line, as is. */
  readonly send: (message: unknown) => void;
  readonly reply: (id: number, result: unknown) => void;
}

export interface RawServerOptions {
  /** What `hello` is answered with; undefined leaves hello to the test like any other request. */
  readonly hello?: Readonly<Record<string, unknown>> | undefined;
  /** Ends its side when the client ends its own, as a supervisor does once its replies are out. Default true. */
  readonly endOnEnd?: boolean;
}

export const GOOD_HELLO = { pid: 4242, project: 'scripted', version: '0.0.0-test', protocol: PROTOCOL_VERSION, protocols: PROTOCOL_RANGE };

/**
 * A scripted server on a real unix socket: the test decides what each reply and event is, including
 * malformed ones. With endOnEnd false it is like a busy supervisor that does not end its side (allowHalfOpen).
 */
export async function rawServer(t: ExecutionContext, options: RawServerOptions = { hello: GOOD_HELLO }): Promise<{ readonly socketPath: string; readonly peer: Promise<RawPeer> }> {
  const socketPath = path.join(tempDir('nu-raw-server-'), 'control.sock');
  let accepted: (peer: RawPeer) => void = () => undefined;
  const peer = new Promise<RawPeer>((resolve) => (accepted = resolve));
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    let buffered = '';
    const queued: RawRequest[] = [];
    const waiting: ((request: RawRequest) => void)[] = [];
    const send = (message: unknown): void => void socket.write(`${JSON.stringify(message)}\n`);
    const reply = (id: number, result: unknown): void => send({ v: PROTOCOL_VERSION, type: 'reply', id, ok: true, result });
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const request = JSON.parse(buffered.slice(0, newline)) as RawRequest;
        buffered = buffered.slice(newline + 1);
        if (request.type === 'hello' && options.hello) reply(request.id, options.hello);
        else if (waiting.length > 0) waiting.shift()?.(request);
        else queued.push(request);
      }
    });
    socket.on('error', () => undefined);
    if (options.endOnEnd !== false) socket.on('end', () => socket.end());
    const nextRequest = (): Promise<RawRequest> => {
      const ready = queued.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    };
    accepted({ socket, nextRequest, send, reply });
  });
  server.listen(socketPath);
  await once(server, 'listening');
  t.teardown(() => void server.close());
  return { socketPath, peer };
}
