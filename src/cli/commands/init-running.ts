import fs from 'node:fs';
import path from 'node:path';
import { findConfigIn } from '../../config/discover.js';
import type { AppSpec } from '../../model/app.js';
import { printError, withClient } from '../control-target.js';
import { stdoutColors } from '../output.js';

/** Keys holding paths: written relative to the folder the app was started from, rewritten relative to the new file. */
const PATH_KEYS = ['out_file', 'error_file', 'log_file', 'pid_file'];

function relativeTo(dir: string, from: string, value: unknown): unknown {
  if (typeof value !== 'string' || value === '/dev/null' || value === 'NULL') return value;
  const relative = path.relative(dir, path.resolve(from, value));
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(from, value) : `./${relative}`;
}

/** The app as the user wrote it, its paths made to work from `dir`. */
export function appEntry(spec: AppSpec, dir: string): Readonly<Record<string, unknown>> {
  const written = spec.written ?? { name: spec.name, script: spec.script };
  // Paths were relative to where the app was started, which (without --cwd) is its resolved cwd.
  const from = spec.cwd;
  const entry: Record<string, unknown> = { ...written, name: spec.name };
  if (written.cwd !== undefined || spec.cwd !== dir) entry.cwd = relativeTo(dir, dir, spec.cwd);
  for (const key of PATH_KEYS) if (key in entry) entry[key] = relativeTo(dir, from, entry[key]);
  if (Array.isArray(entry.env_file)) entry.env_file = entry.env_file.map((file: unknown) => relativeTo(dir, from, file));
  else if (entry.env_file !== undefined) entry.env_file = relativeTo(dir, from, entry.env_file);
  return entry;
}

export function ecosystemText(apps: readonly Readonly<Record<string, unknown>>[]): string {
  return `// Written by 'node-unit init --from-running' from the apps that were running; pm2 reads it too.\nmodule.exports = ${JSON.stringify({ apps }, null, 2)};\n`;
}

/** `init --from-running`: what runs (apps added with `start` included) becomes an ecosystem file. */
export function initFromRunning(options: { readonly dir?: string; readonly stateDir?: string; readonly json?: boolean }): Promise<number> {
  const dir = path.resolve(options.dir ?? process.cwd());
  const existing = findConfigIn(dir);
  if (existing) {
    printError(`${path.basename(existing)} already exists in ${dir}; not overwriting it (use --dir to write elsewhere)`);
    return Promise.resolve(1);
  }
  return withClient({ stateDir: options.stateDir }, async (client) => {
    const described = await client.describe('all');
    if (!described.ok) {
      printError(described.message);
      return 1;
    }
    const specs = new Map(described.instances.map((detail) => [detail.spec.name, detail.spec]));
    const file = path.join(dir, 'ecosystem.config.js');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, ecosystemText([...specs.values()].map((spec) => appEntry(spec, dir))), { flag: 'wx' });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ok: true, file, apps: [...specs.keys()] })}\n`);
      return 0;
    }
    process.stdout.write(`${stdoutColors().green('created')} ${path.relative(process.cwd(), file) || file} with ${specs.size} app${specs.size === 1 ? '' : 's'}: ${[...specs.keys()].join(', ')}\n`);
    return 0;
  });
}
