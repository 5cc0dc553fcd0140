import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, formatDiagnostic } from '../config/errors.js';
import { loadConfig, type LoadOptions } from '../config/load.js';
import type { ConfigSource } from '../supervisor/supervisor.js';

function digest(file: string): string | undefined {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/** The config file as the supervisor's source for reloads, remembering what was loaded last. */
export function fileConfigSource(file: string, options: LoadOptions): ConfigSource {
  let loadedDigest = digest(file);
  return {
    async load() {
      try {
        const before = digest(file);
        const loaded = await loadConfig({ ...options, configPath: file });
        loadedDigest = before;
        return { ok: true, apps: loaded.apps, warnings: loaded.warnings.map(formatDiagnostic) };
      } catch (error) {
        if (error instanceof ConfigError) return { ok: false, message: error.message };
        return { ok: false, message: `cannot load ${file}: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    staleNote() {
      const now = digest(file);
      return now !== loadedDigest ? `${path.basename(file)} changed since it was loaded; 'node-unit reload' applies it (a restart keeps the old config)` : undefined;
    },
  };
}
