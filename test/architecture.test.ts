import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { packagesReachable } from './helpers/imports.js';
import { PROJECT_ROOT } from './helpers/tmp.js';

/** Which src folders each folder may import (DESIGN: model ← util ← {config, logs, control, tui} ← {plan, plugin} ← supervisor ← cli). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  model: ['model'],
  util: ['model', 'util'],
  config: ['model', 'util', 'config'],
  logs: ['model', 'util', 'logs'],
  control: ['model', 'util', 'control'],
  tui: ['model', 'util', 'tui'],
  plan: ['model', 'util', 'config', 'plan'],
  plugin: ['model', 'util', 'config', 'plugin'],
  supervisor: ['model', 'util', 'plan', 'logs', 'supervisor'],
};
const FORBIDDEN_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  tui: ['node:child_process', 'node:fs', 'child_process', 'fs'],
};

const SRC = path.join(PROJECT_ROOT, 'src');
const PLUGINS = path.join(PROJECT_ROOT, 'plugins');
const PUBLIC_ENTRY = path.join(SRC, 'index');
const PLUGIN_PACKAGES: readonly string[] = ['ws', 'tweetnacl'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = match[1] ?? match[2];
    if (spec) found.push(spec);
  }
  return found;
}

/** A plugin under plugins/ imports what a third-party plugin could: the public entry, ws, tweetnacl, node built-ins and its own files. */
function pluginImportAllowed(file: string, spec: string): boolean {
  if (spec.startsWith('node:') || spec === 'node-unit' || spec.startsWith('node-unit/')) return true;
  if (PLUGIN_PACKAGES.some((name) => spec === name || spec.startsWith(`${name}/`))) return true;
  if (!spec.startsWith('.')) return false;
  const target = path.resolve(path.dirname(file), spec).replace(/\.(js|ts)$/, '');
  return target === PUBLIC_ENTRY || target.startsWith(`${PLUGINS}${path.sep}`);
}

function pluginViolations(): string[] {
  if (!fs.existsSync(PLUGINS)) return [];
  return sourceFiles(PLUGINS).flatMap((file) => imports(file).filter((spec) => !pluginImportAllowed(file, spec)).map((spec) => `${path.relative(PROJECT_ROOT, file)} imports ${spec}`));
}

function folderOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0] ?? '';
}

test('src folders import only what the design allows', (t) => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const folder = folderOf(file);
    const allowed = ALLOWED[folder];
    for (const spec of imports(file)) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        if (!target.startsWith(SRC)) continue;
        const targetFolder = folderOf(target);
        if (folder === 'cli' || folder.endsWith('.ts')) continue;
        if (allowed && !allowed.includes(targetFolder)) violations.push(`${path.relative(PROJECT_ROOT, file)} imports ${targetFolder}/ (${spec})`);
      } else if (FORBIDDEN_PACKAGES[folder]?.includes(spec)) {
        violations.push(`${path.relative(PROJECT_ROOT, file)} imports ${spec}`);
      }
    }
  }
  t.deepEqual(violations, []);
});

test('plugins/ import only the public entry (node-unit, node-unit/…, or src/index), ws, tweetnacl and node: built-ins', (t) => {
  t.deepEqual(pluginViolations(), []);
});

test('the plugins/ rule tells allowed imports from forbidden ones', (t) => {
  const file = path.join(PLUGINS, 'federation', 'index.ts');
  const allowed = ['node-unit', 'node-unit/federation', '../../src/index.js', './identity.js', '../shared/x.js', 'ws', 'tweetnacl', 'node:crypto'];
  const forbidden = ['../../src/model/controller.js', '../../src/supervisor/supervisor.js', 'fs', 'ink', 'tweetnacl-util', 'chokidar'];
  t.deepEqual(allowed.filter((spec) => !pluginImportAllowed(file, spec)), []);
  t.deepEqual(forbidden.filter((spec) => pluginImportAllowed(file, spec)), []);
});

test('nothing imports cli/', (t) => {
  const offenders = sourceFiles(SRC).filter((file) => folderOf(file) !== 'cli' && imports(file).some((spec) => spec.startsWith('.') && folderOf(path.resolve(path.dirname(file), spec)) === 'cli'));
  t.deepEqual(offenders, []);
});


test('the public entry statically reaches neither Ink, React, chokidar nor jiti', (t) => {
  const packages = [...packagesReachable(path.join(PROJECT_ROOT, 'dist', 'src', 'index.js'))];
  t.deepEqual(packages.filter((p) => /^(ink|react|chokidar|jiti)(\/|$)/.test(p)), []);
});

test('importing the public entry starts nothing: the process exits on its own', (t) => {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('./dist/src/index.js'); console.log(typeof m.defineConfig)"], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 20_000,
  });
  t.is(result.status, 0);
  t.is(result.stdout.trim(), 'function');
});

test('the fast client path (ls, start, stop, restart) is one bundled CommonJS file that loads only node built-ins', (t) => {
  const bundle = fs.readFileSync(path.join(PROJECT_ROOT, 'dist', 'cli-fast.cjs'), 'utf8');
  const specifiers = [...bundle.matchAll(/\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  t.true(specifiers.length > 0);
  t.deepEqual(specifiers.filter((spec) => !spec.startsWith('node:')), []);
  const bin = fs.readFileSync(path.join(PROJECT_ROOT, 'bin', 'node-unit.js'), 'utf8');
  t.true(bin.includes("require('../dist/cli-fast.cjs')"));
});
