import { ConfigError, type Diagnostic } from '../../src/config/errors.js';
import { loadConfig, type LoadedConfig, type LoadOptions } from '../../src/config/load.js';
import type { AppSpec } from '../../src/model/app.js';
import { tempDir, writeFiles } from './tmp.js';

/** Writes `files` into a fresh temp folder and loads the config found there. */
export async function loadFiles(files: Readonly<Record<string, string>>, options: Partial<LoadOptions> = {}): Promise<LoadedConfig & { readonly dir: string }> {
  const dir = tempDir('nu-config-');
  writeFiles(dir, files);
  const loaded = await loadConfig({ cwd: dir, env: {}, ...options });
  return { ...loaded, dir };
}

/** The ConfigError a load throws; fails if the load succeeds or throws something else. */
export async function loadError(files: Readonly<Record<string, string>>, options: Partial<LoadOptions> = {}): Promise<ConfigError & { readonly dir: string }> {
  const dir = tempDir('nu-config-');
  writeFiles(dir, files);
  try {
    await loadConfig({ cwd: dir, env: {}, ...options });
  } catch (error) {
    if (error instanceof ConfigError) return Object.assign(error, { dir });
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

/** The app named `name`; throws when missing so tests read straight. */
export function appNamed(loaded: { readonly apps: readonly AppSpec[] }, name: string): AppSpec {
  const app = loaded.apps.find((a) => a.name === name);
  if (!app) throw new Error(`no app "${name}" in ${loaded.apps.map((a) => a.name).join(', ')}`);
  return app;
}

/** Diagnostics reduced to what tests compare. */
export function brief(diagnostics: readonly Diagnostic[]): { severity: string; path: string; message: string; hint?: string }[] {
  return diagnostics.map((d) => (d.hint === undefined ? { severity: d.severity, path: d.path, message: d.message } : { severity: d.severity, path: d.path, message: d.message, hint: d.hint }));
}

/** A one-file JSON config. */
export function json(value: unknown): Readonly<Record<string, string>> {
  return { 'ecosystem.config.json': JSON.stringify(value, null, 2) };
}
