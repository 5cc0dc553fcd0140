import path from 'node:path';
import { ControlError } from '../control/errors.js';
import { controlSocketPath, prepareSocketFolder } from '../control/paths.js';
import { probeSocket } from '../control/probe.js';
import type { PluginCallHandler } from '../control/answer.js';
import { startControlServer, type ControlServer } from '../control/server.js';
import type { Controller } from '../model/controller.js';
import { growSendBuffer } from '../supervisor/pipes.js';
import { stderrColors } from './output.js';
import { packageVersion } from './version.js';

/** What `up` needs from the control socket, kept here so up.ts changes by a few lines. */

export type Claim = { readonly ok: true; readonly stateDir: string; readonly project: string } | { readonly ok: false; readonly exitCode: number };

function alreadyRunning(pid: number | undefined, project: string): { readonly ok: false; readonly exitCode: number } {
  process.stderr.write(`${stderrColors().red('error')} already running (pid ${pid ?? 'unknown'}) for ${project}; stop it with 'node-unit down' or use it with 'node-unit ls'\n`);
  return { ok: false, exitCode: 1 };
}

/** Checked before anything starts (or reaps), so a second `up` cannot touch the first one's apps. */
export async function claimControl(stateDir: string, configDir: string): Promise<Claim> {
  const project = path.basename(configDir);
  const socketPath = controlSocketPath(stateDir);
  try {
    prepareSocketFolder(socketPath);
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    process.stderr.write(`${stderrColors().red('error')} ${error.message}\n`);
    return { ok: false, exitCode: 1 };
  }
  const probe = await probeSocket(socketPath);
  return probe.state === 'running' ? alreadyRunning(probe.pid, project) : { ok: true, stateDir, project };
}

export type Serving =
  | { readonly ok: true; readonly server: ControlServer; readonly onRemoteShutdown: (done: () => void) => void }
  | { readonly ok: false; readonly exitCode: number };

/**
 * Serves the supervisor on its socket. `down` (or any other Controller user) calls shutdown(); `up` learns
 * of it from the 'shutdown' event every subscriber receives, and resolves once everything has stopped.
 */
export async function serveControl(controller: Controller, claim: Extract<Claim, { ok: true }>, plugins?: PluginCallHandler): Promise<Serving> {
  let server: ControlServer;
  try {
    server = await startControlServer(controller, { stateDir: claim.stateDir, project: claim.project, version: packageVersion(), tuneSocket: (socket) => growSendBuffer(socket), ...(plugins ? { plugins } : {}) });
  } catch (error) {
    if (error instanceof ControlError && error.code === 'already_running') return alreadyRunning(error.pid, claim.project);
    throw error;
  }
  const onRemoteShutdown = (done: () => void): void => {
    const unsubscribe = controller.subscribe(
      (event) => {
        if (event.type !== 'shutdown') return;
        unsubscribe?.();
        // The event is emitted from inside shutdown(); asking again on the next turn joins the same shutdown.
        setImmediate(() => void controller.shutdown(event.reason).then(done));
      },
      { logs: 'none', metrics: false },
    );
  };
  return { ok: true, server, onRemoteShutdown };
}
