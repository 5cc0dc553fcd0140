import type { Plugin } from '../model/plugin.js';

/**
 * Types a plugin. Returns its argument unchanged.
 * Not generic, as defineConfig is not: a generic parameter would turn off the check that catches a
 * misspelt hook such as `stared`.
 */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}
