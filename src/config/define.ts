import type { ConfigContext, EcosystemConfig } from './types.js';

/**
 * Types an ecosystem config. Returns its argument unchanged.
 * Not generic on purpose: a generic parameter turns off TypeScript's excess-property check, and that
 * check is what catches a misspelt key such as `max_restart`.
 */
export function defineConfig(config: EcosystemConfig): EcosystemConfig;
export function defineConfig(config: Promise<EcosystemConfig>): Promise<EcosystemConfig>;
export function defineConfig(
  config: (context: ConfigContext) => EcosystemConfig | Promise<EcosystemConfig>,
): (context: ConfigContext) => EcosystemConfig | Promise<EcosystemConfig>;
export function defineConfig(config: unknown): unknown {
  return config;
}
