import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * node-unit's own public modules by the specifier a config imports them with ('node-unit',
 * 'node-unit/federation', …), read from our package.json's exports. A config resolves them to this very
 * installation, so it works where node-unit is not installed beside it (a global install, npx).
 */

const PACKAGE_NAME = 'node-unit';

function packageRoot(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && readName(manifest) === PACKAGE_NAME) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readName(manifest: string): unknown {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

function readExports(root: string): Readonly<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || !('exports' in parsed)) return {};
    const exports = parsed.exports;
    return typeof exports === 'object' && exports !== null ? (exports as Readonly<Record<string, unknown>>) : {};
  } catch {
    return {};
  }
}

/** The file an export condition points to: a string, or the `default` (else `import`) of a conditions object. */
function exportTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const conditions = value as Readonly<Record<string, unknown>>;
  return exportTarget(conditions.default ?? conditions.import);
}

/** The built file, or its TypeScript source when running from source (dist/x/y.js → x/y.ts). */
function existing(root: string, target: string): string {
  const built = path.join(root, target);
  if (fs.existsSync(built)) return built;
  const source = path.join(root, target.replace(/^\.?\/?dist\//, '').replace(/\.js$/, '.ts'));
  return fs.existsSync(source) ? source : built;
}

let cached: Readonly<Record<string, string>> | undefined;

/** Specifier → absolute file, most specific first (`node-unit/federation` before `node-unit`). */
export function ownModules(): Readonly<Record<string, string>> {
  if (cached) return cached;
  const root = packageRoot();
  const modules: Record<string, string> = {};
  if (root) {
    const entries = Object.entries(readExports(root)).sort(([a], [b]) => b.length - a.length);
    for (const [key, value] of entries) {
      const target = exportTarget(value);
      if (target !== undefined && key.startsWith('.')) modules[key === '.' ? PACKAGE_NAME : `${PACKAGE_NAME}/${key.slice(2)}`] = existing(root, target);
    }
  }
  cached = modules;
  return modules;
}
