import net from 'node:net';
import { ControlClient } from './client.js';
import { MAX_MESSAGE_BYTES } from './protocol.js';
import { SocketPort } from './socket-port.js';

export type SocketProbe = { readonly state: 'absent' } | { readonly state: 'stale' } | { readonly state: 'running'; readonly pid: number | undefined };

const HELLO_TIMEOUT_MS = 3000;

/** Whether a supervisor listens on `socketPath`. A socket left by a killed supervisor refuses connections: stale. */
export function probeSocket(socketPath: string): Promise<SocketProbe> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      if (error.code === 'ENOENT') resolve({ state: 'absent' });
      else if (error.code === 'ECONNREFUSED' || error.code === 'ENOTSOCK') resolve({ state: 'stale' });
      else reject(error);
    });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      const client = new ControlClient(new SocketPort(socket, MAX_MESSAGE_BYTES));
      const timer = setTimeout(() => finish(undefined), HELLO_TIMEOUT_MS);
      // Something answers: it is live even if it does not say who it is, so it must not be replaced.
      const finish = (pid: number | undefined): void => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ state: 'running', pid });
      };
      client.hello().then((hello) => finish(hello.pid), () => finish(undefined));
    });
  });
}
