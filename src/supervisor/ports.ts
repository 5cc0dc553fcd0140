import net from 'node:net';

/** A port nobody listens on right now, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let probes: Promise<unknown> = Promise.resolve();

/** True when something already listens on `port` (any address). Probes run one at a time: two concurrent
 * probes of the same port would each see the other's listener. */
export function portTaken(port: number): Promise<boolean> {
  const result = probes.then(() => probePort(port));
  probes = result;
  return result;
}

function probePort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES'));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}
