import { definePlugin, type Plugin } from '../../src/index.js';
import { auditCommands } from './audit-commands.js';
import { federationCommands } from './commands.js';
import { resolveOptions, type FederationOptions } from './options.js';
import { startMasterNode, startWorkerNode } from './runtime.js';

export type { FederationOptions } from './options.js';

const VERSION = '0.1.0';

/**
 * The federation plugin: `federation({ listen })` on the master, `federation({ name, labels })` on a worker.
 * Options are checked here, when the config loads, so a mistake is a config error with every problem named.
 */
export function federation(options: FederationOptions = {}): Plugin {
  const resolved = resolveOptions(options);
  return definePlugin({
    name: 'federation',
    // A worker waits for its master's commands and a master for its workers, whatever their own apps do.
    keepsUp: true,
    commands: [...federationCommands(() => resolved), ...auditCommands()],
    async started(ctx) {
      if (resolved.role === 'master') return startMasterNode(ctx, resolved, VERSION);
      return startWorkerNode(ctx, resolved, VERSION);
    },
  });
}
