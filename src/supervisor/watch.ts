import path from 'node:path';
import { watch } from 'chokidar';
import picomatch from 'picomatch';
import type { WatchSpec } from '../model/app.js';

export interface AppWatcher {
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Watcher errors (EMFILE, permission denied, …); they never stop the watcher. */
  readonly onError?: (error: Error) => void;
}

/**
 * A predicate for pm2's `ignore_watch` globs (picomatch, dotfiles included). A pattern is tried against the
 * path relative to cwd and the absolute path; a pattern without a slash ('node_modules', '*.log') is also
 * tried against every path segment, as in .gitignore.
 */
export function ignoreMatcher(patterns: readonly string[], cwd: string): (file: string) => boolean {
  if (patterns.length === 0) return () => false;
  const options = { dot: true };
  const whole = picomatch([...patterns], options);
  const segmentPatterns = patterns.filter((pattern) => !pattern.includes('/'));
  const segment = segmentPatterns.length > 0 ? picomatch(segmentPatterns, options) : () => false;
  return (file) => {
    const absolute = path.resolve(cwd, file);
    const relative = path.relative(cwd, absolute);
    if (relative !== '' && whole(relative)) return true;
    if (whole(absolute)) return true;
    const segments = (relative === '' || relative.startsWith('..') ? absolute : relative).split(path.sep);
    return segments.some((part) => part !== '' && segment(part));
  };
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
  const ignored = ignoreMatcher(spec.ignore, cwd);
  const watcher = watch([...spec.paths], { ignoreInitial: true, ignored: (file: string) => ignored(file), persistent: true });
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
