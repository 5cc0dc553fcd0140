import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { connectControl } from '../../src/control/client.js';
import { PROTOCOL_VERSION, encode } from '../../src/control/protocol.js';
import { tempDir } from '../helpers/tmp.js';

interface Peer {
  readonly socket: net.Socket;
  /** Resolves with the id of the next request line the client sends. */
  readonly nextRequestId: () => Promise<number>;
}

/**
 * A bare server on a real unix socket that, like a busy supervisor, never ends its side on its own
 * (allowHalfOpen): a client that waited for it would wait forever.
 */
async function bareServer(t: ExecutionContext): Promise<{ readonly socketPath: string; readonly peer: Promise<Peer> }> {
  const socketPath = path.join(tempDir('nu-client-close-'), 'control.sock');
  let accepted: (peer: Peer) => void = () => undefined;
  const peer = new Promise<Peer>((resolve) => (accepted = resolve));
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    let buffered = '';
    const waiting: ((id: number) => void)[] = [];
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        waiting.shift()?.((JSON.parse(line) as { id: number }).id);
      }
    });
    accepted({ socket, nextRequestId: () => new Promise((resolve) => waiting.push(resolve)) });
  });
  server.listen(socketPath);
  await once(server, 'listening');
  t.teardown(() => void server.close());
  return { socketPath, peer };
}

function reply(socket: net.Socket, id: number): void {
  socket.write(encode({ v: PROTOCOL_VERSION, type: 'reply', id, ok: true, result: [] }));
}

test('close with nothing left to hear closes at once, without waiting for the server to end its side', async (t) => {
  const { socketPath, peer } = await bareServer(t);
  const client = await connectControl(socketPath);
  const { socket, nextRequestId } = await peer;
  const listed = client.list();
  reply(socket, await nextRequestId());
  t.deepEqual(await listed, []);
  const serverSawEnd = once(socket, 'end');
  await client.close();
  await serverSawEnd;
  t.true(socket.readableEnded);
});

test('close with a reply still due half-closes: the reply still arrives', async (t) => {
  const { socketPath, peer } = await bareServer(t);
  const client = await connectControl(socketPath);
  const { socket, nextRequestId } = await peer;
  const listed = client.list();
  const id = await nextRequestId();
  const closed = client.close();
  await once(socket, 'end');
  reply(socket, id);
  socket.end();
  t.deepEqual(await listed, []);
  await closed;
});
