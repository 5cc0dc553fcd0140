import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which plugin's code is running, carried through its timers, callbacks and promises. A throw that no
 * one catches in plugin code (a timer callback, a socket handler, a forgotten promise) is then blamed on
 * that plugin and reported instead of ending the supervisor; anything else still ends it as before.
 */
const owner = new AsyncLocalStorage<string>();

export function runAsPlugin<T>(plugin: string, body: () => T): T {
  return owner.run(plugin, body);
}

export type StrayErrorReport = (plugin: string, error: unknown) => void;

const reporters = new Set<StrayErrorReport>();

function crash(error: unknown): never {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : `Uncaught ${String(error)}`}\n`);
  process.exit(1);
}

function onStray(error: unknown): void {
  const plugin = owner.getStore();
  if (plugin === undefined || reporters.size === 0) crash(error);
  for (const report of reporters) report(plugin, error);
}

/** Reports plugins' uncaught errors to `report` until the returned function is called. */
export function guardStrayErrors(report: StrayErrorReport): () => void {
  if (reporters.size === 0) {
    process.on('uncaughtException', onStray);
    process.on('unhandledRejection', onStray);
  }
  reporters.add(report);
  return () => {
    reporters.delete(report);
    if (reporters.size > 0) return;
    process.off('uncaughtException', onStray);
    process.off('unhandledRejection', onStray);
  };
}
