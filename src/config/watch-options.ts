import { formatPath, type Segment } from './check.js';
import { describeValue, type Diagnostic } from './errors.js';

/** chokidar's options, each with the type it takes; pm2 hands watch_options to chokidar as they are. */
const CHOKIDAR_OPTIONS: Readonly<Record<string, (value: unknown) => boolean>> = {
  usePolling: (v) => typeof v === 'boolean',
  interval: (v) => typeof v === 'number' && v > 0,
  binaryInterval: (v) => typeof v === 'number' && v > 0,
  followSymlinks: (v) => typeof v === 'boolean',
  alwaysStat: (v) => typeof v === 'boolean',
  depth: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0,
  atomic: (v) => typeof v === 'boolean' || (typeof v === 'number' && v >= 0),
  ignorePermissionErrors: (v) => typeof v === 'boolean',
  awaitWriteFinish: (v) => typeof v === 'boolean' || (typeof v === 'object' && v !== null && !Array.isArray(v)),
};

/** Set by node-unit itself: the watcher must report only changes after its first scan, and keep running. */
const OURS = new Set(['ignoreInitial', 'persistent', 'cwd']);

export interface WatcherOptions {
  readonly passed: Readonly<Record<string, unknown>>;
  /** `ignored` globs or names, added to ignore_watch (as pm2 merges them). */
  readonly ignored: readonly string[];
}

/** pm2's watch_options: what chokidar knows is passed on; anything else is a warning that names it. */
export function watcherOptions(raw: Readonly<Record<string, unknown>> | undefined, at: readonly Segment[], diagnostics: Diagnostic[]): WatcherOptions {
  const passed: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(raw ?? {})) {
    const where = formatPath([...at, key]);
    const valid = CHOKIDAR_OPTIONS[key];
    if (key === 'ignored' && (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string')))) ignored.push(...[value].flat());
    else if (OURS.has(key)) diagnostics.push({ severity: 'warning', path: where, message: 'set by node-unit, ignored' });
    else if (!valid) diagnostics.push({ severity: 'warning', path: where, message: 'not a watcher option node-unit passes on, ignored', hint: `known: ${Object.keys(CHOKIDAR_OPTIONS).join(', ')}, ignored` });
    else if (!valid(value)) diagnostics.push({ severity: 'warning', path: where, message: `unexpected value ${describeValue(value)}, ignored` });
    else passed[key] = value;
  }
  return { passed, ignored };
}
