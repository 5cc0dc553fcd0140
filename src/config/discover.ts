import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors.js';

/** File names looked for, in order of preference. */
export const CONFIG_NAMES: readonly string[] = [
  'ecosystem.config.ts',
  'ecosystem.config.mts',
  'ecosystem.config.cts',
  'ecosystem.config.js',
  'ecosystem.config.mjs',
  'ecosystem.config.cjs',
  'ecosystem.config.json',
  'ecosystem.json',
  'pm2.config.js',
  'pm2.config.cjs',
  'ecosystem.config.yml',
  'ecosystem.config.yaml',
  'ecosystem.yml',
  'ecosystem.yaml',
];

/** What pm2 takes as an ecosystem file rather than a script: `*.config.js` (any JS/TS flavour), JSON, JSON5, YAML. */
export function looksLikeEcosystemFile(file: string): boolean {
  return /\.config\.[cm]?[jt]s$|\.json5?$|\.ya?ml$/.test(path.basename(file));
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first config file in `dir`, or undefined. */
export function findConfigIn(dir: string): string | undefined {
  for (const name of CONFIG_NAMES) {
    const file = path.join(dir, name);
    if (isFile(file)) return file;
  }
  return undefined;
}

/** Looks in `cwd`, then each parent folder, as docker compose does. */
export function discoverConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const found = findConfigIn(dir);
    if (found) return found;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The config file to use: --config if given (a file or a folder), else discovery. Throws ConfigError. */
export function locateConfig(configPath: string | undefined, cwd: string): string {
  if (configPath !== undefined) {
    const full = path.resolve(cwd, configPath);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(full);
    } catch {
      throw new ConfigError(full, [{ severity: 'error', path: '', message: 'no such file', hint: 'check the --config path' }]);
    }
    if (stat.isFile()) return full;
    const inside = findConfigIn(full);
    if (inside) return inside;
    throw new ConfigError(full, [{ severity: 'error', path: '', message: 'no ecosystem file in this folder', hint: `looked for ${CONFIG_NAMES.join(', ')}` }]);
  }
  const found = discoverConfig(cwd);
  if (found) return found;
  throw new ConfigError(undefined, [
    {
      severity: 'error',
      path: '',
      message: `no ecosystem file found in ${cwd} or its parents`,
      hint: "create one with 'node-unit init', or pass --config PATH",
    },
  ]);
}
