import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A Node built-in loaded at its first use instead of at start-up. Each one a supervisor loads and never uses
 * (https for an http check nobody configured, cluster without exec_mode cluster) costs it RSS for good.
 */
export function lazyBuiltin<T>(name: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
