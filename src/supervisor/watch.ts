import type { WatchSpec } from '../model/app.js';

export interface AppWatcher {
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Watcher errors (EMFILE, permission denied, …); they never stop the watcher. */
  readonly onError?: (error: Error) => void;
}

/**
 * Watches spec.paths and calls onChange once per burst of changes: after spec.delayMs without a new change,
 * with every path that changed in the burst. Resolves once the initial scan is done, so changes made after
 * it are reported and files that already existed are not.
 */
export async function watchFiles(
  spec: WatchSpec,
  cwd: string,
  onChange: (changed: readonly string[]) => void,
  options: WatchOptions = {},
): Promise<AppWatcher> {
  // Loaded on first use: most projects watch nothing, and the supervisor stays ~1 MiB smaller without them.
  const [{ watch }, { ignoreMatcher }] = await Promise.all([import('chokidar'), import('./watch-ignore.js')]);
  const ignored = ignoreMatcher(spec.ignore, cwd);
  // spec.options holds only chokidar's own options, each checked for its type when the config was read.
  const passed = (spec.options ?? {}) as Parameters<typeof watch>[1];
  const watcher = watch([...spec.paths], { ...passed, ignoreInitial: true, ignored: (file: string) => ignored(file), persistent: true });
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = (): void => {
    timer = undefined;
    if (closed || pending.size === 0) return;
    const changed = [...pending];
    pending = new Set();
    onChange(changed);
  };

  watcher.on('all', (_event, file) => {
    if (closed) return;
    pending.add(file);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, spec.delayMs);
  });
  watcher.on('error', (error) => {
    if (!closed) options.onError?.(error instanceof Error ? error : new Error(String(error)));
  });

  await new Promise<void>((resolve) => watcher.once('ready', resolve));

  return {
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      pending.clear();
      await watcher.close();
    },
  };
}
