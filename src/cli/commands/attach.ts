import { printError, withClient, type ProjectOptions } from '../control-target.js';

/** The TUI over the control socket: the same screen as `up`, and `q` detaches, leaving everything running. */
export async function attachCommand(options: ProjectOptions): Promise<number> {
  if (process.stdout.isTTY !== true || process.stdin.isTTY !== true) {
    printError("attach needs a terminal; without one use 'node-unit ls' and 'node-unit logs -f'");
    return 2;
  }
  const tui = await import('../../tui/render.js');
  await tui.preloadTui();
  return withClient(options, async (client, project) => {
    const outcome = await tui.runTui(client, { project, mode: 'attach', until: client.closed });
    if (outcome === 'gone') printError(`the supervisor of ${project} stopped`);
    return 0;
  });
}
