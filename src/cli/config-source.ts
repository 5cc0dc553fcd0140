import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, formatDiagnostic } from '../config/errors.js';
import { loadConfig, type LoadOptions } from '../config/load.js';
import { resolveAdhocApps } from '../config/adhoc.js';
import type { ConfigSource } from '../supervisor/supervisor.js';

/** What the file held when last read: its size, change time and inode, and a hash of its contents. */
interface Seen {
  readonly stamp: string | undefined;
  readonly digest: string | undefined;
}

function stampOf(file: string): string | undefined {
  try {
    const stat = fs.statSync(file, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return undefined;
  }
}

function read(file: string): Seen {
  const stamp = stampOf(file);
  try {
    return { stamp, digest: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex') };
  } catch {
    return { stamp, digest: undefined };
  }
}

/** The config file as the supervisor's source for reloads, remembering what was loaded last. */
export function fileConfigSource(file: string, options: LoadOptions): ConfigSource {
  let loaded = read(file);
  // Every restart asks whether the file changed: a stat answers when nothing touched it; only a touched file
  // is read and hashed (an edit undone, or a save with no change, is no change).
  let checked = loaded;
  const changed = (): boolean => {
    const stamp = stampOf(file);
    if (stamp === undefined || stamp !== checked.stamp) checked = read(file);
    return checked.digest !== loaded.digest;
  };
  return {
    async load() {
      try {
        const before = read(file);
        const result = await loadConfig({ ...options, configPath: file });
        loaded = before;
        checked = before;
        // Plugins hold live state (sockets, sessions): a reload applies apps only, and says so.
        const plugins = result.plugins.length > 0 ? ['plugins: a reload does not restart plugins; changes to them apply at the next node-unit up'] : [];
        return { ok: true, apps: result.apps, warnings: [...result.warnings.map(formatDiagnostic), ...plugins] };
      } catch (error) {
        if (error instanceof ConfigError) return { ok: false, message: error.message };
        return { ok: false, message: `cannot load ${file}: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    resolveApp: (app, cwd) => resolveOne(app, cwd, options),
    staleNote() {
      return changed() ? `${path.basename(file)} changed since it was loaded; 'node-unit reload' applies it (a restart keeps the old config)` : undefined;
    },
  };
}

/** An app given at run time: resolved as the config's apps are, its files under the supervisor's state folder. */
function resolveOne(app: Readonly<Record<string, unknown>>, cwd: string, options: { readonly stateDir?: string | undefined; readonly profile?: string | undefined }): ReturnType<NonNullable<ConfigSource['resolveApp']>> {
  const resolved = resolveAdhocApps([app], { cwd, stateDir: options.stateDir ?? `${cwd}/.node-unit`, profile: options.profile });
  if (!resolved.ok) return resolved;
  const [one] = resolved.apps;
  return one ? { ok: true, app: one, warnings: resolved.warnings } : { ok: false, message: 'no app given' };
}

/** A supervisor started from scripts (`up app.js`): nothing to reload, but apps can still be added. */
export function scriptsConfigSource(options: { readonly stateDir: string; readonly profile?: string | undefined }): ConfigSource {
  return {
    load: () => Promise.resolve({ ok: false, message: "this supervisor was started from scripts, without an ecosystem file: 'node-unit init --from-running' writes one from what runs" }),
    staleNote: () => undefined,
    resolveApp: (app, cwd) => resolveOne(app, cwd, options),
  };
}
