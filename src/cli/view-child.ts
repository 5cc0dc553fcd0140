import fs from 'node:fs/promises';
import path from 'node:path';
import { connectControl } from '../control/client.js';
import { decodeViewOptions, VIEW_ENV, VIEW_EXIT } from './view-protocol.js';

/**
 * The view of `node-unit up` on a terminal, in a process of its own: it drives the supervisor through the
 * control socket exactly as `attach` does, so nothing it draws can delay supervision, log writing or the
 * socket. The user's choice is its exit code (VIEW_EXIT).
 */

/** Copied TUI text goes to a file too, for terminals without OSC 52. */
async function saveCopy(stateDir: string, text: string): Promise<string> {
  const file = path.join(stateDir, 'copied.txt');
  await fs.writeFile(file, text.endsWith('\n') ? text : `${text}\n`);
  return file;
}

async function main(): Promise<number> {
  const options = decodeViewOptions(process.env[VIEW_ENV]);
  if (typeof options === 'string') {
    process.stderr.write(`node-unit view: ${options}\n`);
    return 2;
  }
  // Yoga's loader (inside Ink) tries fetch() for its WebAssembly before it decodes the copy it carries: in
  // Node the first use of fetch loads undici, ~5 MiB and ~0.3 s of CPU, for a fetch that fails. The view
  // fetches nothing.
  Reflect.deleteProperty(globalThis, 'fetch');
  const tui = await import('../tui/render.js');
  await tui.preloadTui();
  const client = await connectControl(options.socketPath);
  try {
    const outcome = await tui.runTui(client, {
      project: options.project,
      mode: 'up',
      startedAt: options.startedAt,
      confirmQuit: options.confirmQuit,
      until: client.closed,
      saveCopy: (text) => saveCopy(options.stateDir, text),
    });
    return VIEW_EXIT[outcome === 'quit' ? 'stop' : outcome];
  } finally {
    await client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`node-unit view: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
