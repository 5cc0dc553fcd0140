import { connectControl } from '../control/client.js';
import { ControlError, type ControlErrorCode } from '../control/errors.js';
import { controlSocketPath } from '../control/paths.js';
import { probeSocket } from '../control/probe.js';
import type { PluginCall, PluginCallErrorCode, PluginCallResult } from '../model/plugin.js';

function callErrorCode(code: ControlErrorCode): PluginCallErrorCode {
  switch (code) {
    case 'unknown_plugin':
    case 'unknown_method':
    case 'not_running':
      return code;
    case 'unresponsive':
      return 'timeout';
    default:
      return 'failed';
  }
}

/** A plugin CLI command's `ctx.call`: its plugin's RPC method in the supervisor running for `stateDir`. */
export async function callRunningSupervisor(stateDir: string, call: PluginCall): Promise<PluginCallResult> {
  const socketPath = controlSocketPath(stateDir);
  const probe = await probeSocket(socketPath);
  if (probe.state !== 'running') return { ok: false, code: 'not_running', message: "no supervisor is running for this project (start it with 'node-unit up')" };
  let client;
  try {
    client = await connectControl(socketPath);
    return { ok: true, value: await client.callPlugin(call.plugin, call.method, call.params) };
  } catch (error) {
    if (error instanceof ControlError) return { ok: false, code: callErrorCode(error.code), message: error.message };
    throw error;
  } finally {
    await client?.close();
  }
}
