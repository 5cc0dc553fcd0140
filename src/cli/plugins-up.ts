import fs from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { PluginConfig } from '../model/plugin.js';
import type { PluginCallHandler } from '../control/answer.js';
import { ControlError } from '../control/errors.js';
import { PluginHost, type PluginOutput } from '../plugin/host.js';
import { stdoutGone } from './stdout-gone.js';
import { palette } from './output.js';

/** What `up` does with plugins, kept here so up.ts changes by a few lines. */

/** After everything is closed, a plugin's leftover timer or socket must not keep the supervisor alive. */
const EXIT_GRACE_MS = 2000;

export function pluginConfigOf(loaded: LoadedConfig): PluginConfig {
  return { file: loaded.file, configDir: loaded.configDir, stateDir: loaded.stateDir, profile: loaded.profile, apps: loaded.apps };
}

function formatOutput(entry: PluginOutput, color: boolean): string {
  const c = palette(color);
  if (entry.kind === 'failure') return `${c.red('error')} ${entry.error.message}`;
  const level = entry.level === 'info' ? '' : `${entry.level === 'error' ? c.red('error') : c.yellow('warning')}: `;
  return `${c.bold(entry.plugin)}: ${level}${entry.message}`;
}

/**
 * Plugin lines go where the supervisor's own lines go: `node-unit | name: …` without a TUI; with one (which
 * owns the screen) to `plugins.log` in the state folder.
 */
function outputFor(stateDir: string, options: { readonly tui: boolean; readonly color: boolean }): (entry: PluginOutput) => void {
  const file = path.join(stateDir, 'plugins.log');
  return (entry) => {
    const lines = formatOutput(entry, options.color && !options.tui).split('\n');
    if (options.tui) {
      const stamp = new Date().toISOString();
      fs.appendFile(file, lines.map((line) => `${stamp} ${line}\n`).join(''), () => undefined);
    } else if (!stdoutGone()) {
      process.stdout.write(lines.map((line) => `node-unit | ${line}\n`).join(''));
    }
  };
}

/** The host with configResolved already run; `up` starts it once the supervisor serves, and closes it last. */
export async function preparePlugins(loaded: LoadedConfig, options: { readonly tui: boolean; readonly color: boolean }): Promise<PluginHost | undefined> {
  if (loaded.plugins.length === 0) return undefined;
  const host = new PluginHost({ plugins: loaded.plugins, config: pluginConfigOf(loaded), output: outputFor(loaded.stateDir, options) });
  await host.configResolved();
  return host;
}

export async function closePlugins(host: PluginHost | undefined): Promise<void> {
  if (!host) return;
  await host.close();
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

/** The control server's door to the host: a result back, or a ControlError the server turns into a reply. */
export function pluginCallHandler(host: PluginHost | undefined): PluginCallHandler | undefined {
  if (!host) return undefined;
  return async (plugin, method, params) => {
    const result = await host.callPlugin({ plugin, method, params });
    if (result.ok) return result.value;
    throw result.code === 'unknown_plugin' || result.code === 'unknown_method' ? new ControlError(result.code, result.message) : new Error(result.message);
  };
}
