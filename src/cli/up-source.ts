import path from 'node:path';
import { resolveAdhocApps } from '../config/adhoc.js';
import { looksLikeEcosystemFile } from '../config/discover.js';
import { ConfigError } from '../config/errors.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { stateDirFor } from '../config/state-dir.js';
import type { ConfigSource } from '../supervisor/supervisor.js';
import { fileConfigSource, scriptsConfigSource } from './config-source.js';
import { printConfigError, printWarnings } from './diagnostics.js';
import { stderrColors } from './output.js';
import { scriptApps, type ScriptFlags } from './script-app.js';

/** Scripts named on the command line: no file, so no plugins either. */
export interface ScriptsLoaded extends Pick<LoadedConfig, 'apps' | 'stateDir' | 'configDir'> {
  readonly file: undefined;
  readonly plugins: readonly [];
}

/** What `up` runs: an ecosystem file's apps, or scripts named on the command line (`up app.js -i 4`). */
export interface UpSource {
  readonly loaded: LoadedConfig | ScriptsLoaded;
  readonly configSource: ConfigSource;
}

export interface UpSourceOptions extends ScriptFlags {
  readonly config?: string;
  readonly env?: string;
  readonly stateDir?: string;
}

function fail(message: string): number {
  process.stderr.write(`${stderrColors().red('error')} ${message}\n`);
  return 2;
}

/**
 * Scripts keep their state (logs, socket) in `.node-unit` of the folder `up` was typed in: the same place a
 * config file there would use, and where `ls`, `logs` and `attach` typed in that folder look first.
 */
function fromScripts(scripts: readonly string[], options: UpSourceOptions, passed: readonly string[]): UpSource | number {
  if (options.config !== undefined) return fail('give either scripts or --config, not both');
  const cwd = process.cwd();
  const stateDir = stateDirFor(cwd, { stateDir: options.stateDir, cwd });
  const resolved = resolveAdhocApps(scriptApps(scripts, options, passed), { cwd, stateDir, profile: options.env });
  if (!resolved.ok) return fail(`cannot start ${scripts.join(', ')}:\n  ${resolved.message.split('\n').join('\n  ')}`);
  const c = stderrColors();
  for (const warning of resolved.warnings) process.stderr.write(`${c.yellow('warning')} ${warning}\n`);
  return {
    loaded: { file: undefined, configDir: cwd, stateDir, apps: resolved.apps, plugins: [] },
    configSource: scriptsConfigSource({ stateDir, profile: options.env }),
  };
}

/** Prints what is wrong and returns an exit code, or returns the apps to run. */
export async function upSource(scripts: readonly string[], options: UpSourceOptions, passed: readonly string[]): Promise<UpSource | number> {
  // `up ecosystem.config.js`, as `pm2 start ecosystem.config.js`: the file is the config, not a script.
  const [only] = scripts;
  if (only !== undefined && scripts.length === 1 && options.config === undefined && looksLikeEcosystemFile(only)) return upSource([], { ...options, config: only }, passed);
  if (scripts.length > 0) return fromScripts(scripts, options, passed);
  if (passed.length > 0) return fail("arguments after -- go to a script: 'node-unit up app.js -- --port 3000'");
  try {
    const loaded = await loadConfig({ configPath: options.config, cwd: process.cwd(), profile: options.env, stateDir: options.stateDir });
    printWarnings(loaded.warnings, loaded.file);
    return { loaded, configSource: fileConfigSource(loaded.file, { cwd: process.cwd(), profile: options.env, stateDir: loaded.stateDir }) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    printConfigError(error);
    return 1;
  }
}

/** The project's name: the folder of the config file, or the folder `up` was typed in. */
export function projectName(source: UpSource): string {
  return path.basename(source.loaded.configDir);
}
