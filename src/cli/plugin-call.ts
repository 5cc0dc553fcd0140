import { connectControl } from '../control/client.js';
import { ControlError } from '../control/errors.js';
import { controlSocketPath } from '../control/paths.js';
import { probeSocket } from '../control/probe.js';
import type { PluginCall, PluginCallResult } from '../model/plugin.js';

/** A plugin CLI command's `ctx.call`: its plugin's RPC method in the supervisor running for `stateDir`. */
export async function callRunningSupervisor(stateDir: string, call: PluginCall): Promise<PluginCallResult> {
  const socketPath = controlSocketPath(stateDir);
  const probe = await probeSocket(socketPath);
  if (probe.state !== 'running') return { ok: false, code: 'not_running', message: "no supervisor is running for this project (start it with 'node-unit up')" };
  const client = await connectControl(socketPath);
  try {
    return { ok: true, value: await client.callPlugin(call.plugin, call.method, call.params) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ControlError && (error.code === 'unknown_plugin' || error.code === 'unknown_method')) return { ok: false, code: error.code, message };
    return { ok: false, code: 'failed', message };
  } finally {
    await client.close();
  }
}
