import { connectControl } from '../control/client.js';
import { controlSocketPath } from '../control/paths.js';
import { probeSocket } from '../control/probe.js';
import type { PluginCall, PluginCallResult, PluginCaller } from '../model/plugin.js';

function isPluginCaller(value: object): value is PluginCaller {
  return 'callPlugin' in value && typeof value.callPlugin === 'function';
}

/** A plugin CLI command's `ctx.call`: its plugin's RPC method in the supervisor running for `stateDir`. */
export async function callRunningSupervisor(stateDir: string, call: PluginCall): Promise<PluginCallResult> {
  const socketPath = controlSocketPath(stateDir);
  const probe = await probeSocket(socketPath);
  if (probe.state !== 'running') return { ok: false, code: 'not_running', message: "no supervisor is running for this project (start it with 'node-unit up')" };
  const client = await connectControl(socketPath);
  try {
    // The control client carries plugin calls once its protocol has the request; until then it says so.
    if (!isPluginCaller(client)) return { ok: false, code: 'failed', message: 'the running supervisor does not take plugin calls over its control socket' };
    return await client.callPlugin(call);
  } finally {
    await client.close();
  }
}
