import fs from 'node:fs';
import net from 'node:net';
import type { Controller } from '../model/controller.js';
import type { PluginCallHandler } from './answer.js';
import { Connection } from './connection.js';
import { ControlError } from './errors.js';
import { controlSocketPath, prepareSocketFolder } from './paths.js';
import { probeSocket } from './probe.js';
import { MAX_MESSAGE_BYTES } from './protocol.js';
import { SocketPort } from './socket-port.js';

export interface ControlServerOptions {
  readonly stateDir: string;
  readonly project: string;
  readonly version: string;
  /** Answers `plugin` requests; without it every such request is told that no plugin is loaded. */
  readonly plugins?: PluginCallHandler;
  /** Called with each accepted socket before it is served (the CLI grows its send buffer). */
  readonly tuneSocket?: (socket: net.Socket) => void;
}

export interface ControlServer {
  readonly path: string;
  /** Stops listening, lets queued replies go out (briefly), then drops every client and removes the socket. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 1000;

/** Refuses to take over a live supervisor's socket; removes one left by a supervisor that was killed. */
async function claim(socketPath: string): Promise<void> {
  const probe = await probeSocket(socketPath);
  if (probe.state === 'running') throw new ControlError('already_running', `already running (pid ${probe.pid ?? 'unknown'})`, probe.pid);
  if (probe.state === 'stale') fs.rmSync(socketPath, { force: true });
}

function listen(server: net.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // The socket file is created by bind(), inside listen(): a umask that already
    // says 0600 leaves no moment in which it exists with wider rights.
    const previousUmask = process.umask(0o177);
    try {
      server.listen(socketPath, () => {
        server.removeListener('error', reject);
        resolve();
      });
    } finally {
      process.umask(previousUmask);
    }
  });
}

/** Serves `controller` on the project's control socket (mode 0600, in a 0700 folder). */
export async function startControlServer(controller: Controller, options: ControlServerOptions): Promise<ControlServer> {
  const socketPath = controlSocketPath(options.stateDir);
  prepareSocketFolder(socketPath);
  const context = { controller, identity: { pid: process.pid, project: options.project, version: options.version }, plugins: options.plugins };
  const connections = new Set<Connection>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    options.tuneSocket?.(socket);
    const connection = new Connection(new SocketPort(socket, MAX_MESSAGE_BYTES), context);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
  });
  await claim(socketPath);
  try {
    await listen(server, socketPath);
  } catch (error) {
    // Another supervisor may have claimed the path between our probe and our listen.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await claim(socketPath);
    await listen(server, socketPath);
  }
  fs.chmodSync(socketPath, 0o600);
  let closing: Promise<void> | undefined;
  return {
    path: socketPath,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections].map((connection) => connection.close(CLOSE_GRACE_MS)));
        await stopped;
        fs.rmSync(socketPath, { force: true });
      })();
      return closing;
    },
  };
}
