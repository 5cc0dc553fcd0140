import type { ControlClient } from '../../control/client.js';
import { isRunning } from '../../tui/format.js';
import { printError, withClient, type ProjectOptions } from '../control-target.js';

/**
 * The TUI over the control socket: the same screen as `up`. q asks, with the same words: detach (everything
 * keeps running), stop everything, or cancel. Exits 1 when the supervisor goes away under it.
 */
export async function attachCommand(options: ProjectOptions): Promise<number> {
  if (process.stdout.isTTY !== true || process.stdin.isTTY !== true) {
    printError("attach needs a terminal; without one use 'node-unit ls' and 'node-unit logs -f'");
    return 2;
  }
  const tui = await import('../../tui/render.js');
  await tui.preloadTui();
  return withClient(options, async (client, project) => {
    const outcome = await tui.runTui(client, { project, mode: 'attach', until: client.closed });
    if (outcome === 'gone') {
      const lost = client.closeReason;
      // A supervisor that stopped answering may still be running its apps: say that, not that it stopped.
      if (lost?.code === 'unresponsive') printError(lost.message);
      else printError(`the supervisor of ${project} stopped; nothing of it is running any more`);
      return 1;
    }
    if (outcome === 'signal') return 1;
    process.stdout.write(`${await stillRunning(client, project)}\n`);
    return 0;
  });
}

/** What a detach leaves behind, said plainly. */
async function stillRunning(client: ControlClient, project: string): Promise<string> {
  const instances = await client.list().catch(() => undefined);
  if (!instances) return `detached from ${project}`;
  const running = instances.filter((info) => isRunning(info.state.status));
  const names = [...new Set(running.map((info) => info.app))];
  const shown = names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
  return `detached from ${project}: ${running.length} of ${instances.length} instance(s) still running${shown ? ` (${shown})` : ''}; 'node-unit attach' to come back, 'node-unit down' to stop them`;
}
