import path from 'node:path';
import type { AppSpec } from '../model/app.js';
import { locateConfig } from './discover.js';
import { ConfigError, type Diagnostic } from './errors.js';
import { describeLoadError, importConfig } from './import.js';
import { resolveConfig } from './resolve.js';
import type { Plugin } from '../model/plugin.js';
import { validateConfig } from './validate.js';
import { stateDirFor } from './state-dir.js';

export { stateDirFor } from './state-dir.js';

export interface LoadOptions {
  /** --config: a file or a folder. */
  readonly configPath?: string;
  readonly cwd: string;
  /** --env: selects env_<profile>. */
  readonly profile?: string;
  /** --state-dir; NODE_UNIT_STATE_DIR otherwise; `.node-unit` beside the config file by default. */
  readonly stateDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedConfig {
  readonly file: string;
  readonly configDir: string;
  readonly stateDir: string;
  readonly profile: string | undefined;
  readonly apps: readonly AppSpec[];
  readonly plugins: readonly Plugin[];
  readonly warnings: readonly Diagnostic[];
}

/** Validates, reporting a config whose own code throws while being read (a getter, a Proxy) like one that throws on load. */
function validateOwnCode(file: string, value: unknown): ReturnType<typeof validateConfig> {
  try {
    return validateConfig(value, { json: file.endsWith('.json') });
  } catch (error) {
    throw new ConfigError(file, [describeLoadError(file, error)]);
  }
}

/** Finds, imports, validates and resolves a config. Throws ConfigError with every problem found. */
export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const file = locateConfig(options.configPath, options.cwd);
  const configDir = path.dirname(file);
  const env = options.env ?? process.env;
  const value = await importConfig(file, { profile: options.profile, env, configDir });
  const validation = validateOwnCode(file, value);
  if (!validation.config) throw new ConfigError(file, validation.diagnostics);
  const stateDir = stateDirFor(configDir, options);
  const resolution = resolveConfig(validation.config, { configDir, stateDir, profile: options.profile });
  const diagnostics = [...validation.diagnostics, ...resolution.diagnostics];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new ConfigError(file, diagnostics);
  return {
    file,
    configDir,
    stateDir,
    profile: options.profile,
    apps: resolution.apps,
    plugins: validation.config.plugins,
    warnings: diagnostics,
  };
}
