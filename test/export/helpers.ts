import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { exportInput } from '../../src/cli/commands/export.js';
import { loadConfig } from '../../src/config/load.js';
import { exportConfig, type ExportTarget } from '../../src/export/index.js';
import { FIXTURES, PROJECT_ROOT, tempDir } from '../helpers/tmp.js';

export const RICH = path.join(FIXTURES, 'export', 'ecosystem.config.js');

export interface Exported {
  readonly code: number | null;
  readonly files: Readonly<Record<string, string>>;
  readonly stderr: string;
  readonly dir: string;
}

/** Runs the real `node-unit export` into a fresh folder and reads back what it wrote. */
export async function exportViaCli(target: string, args: readonly string[]): Promise<Exported> {
  const dir = tempDir('nu-export-');
  const result = await runCli(['export', target, '--out', dir, ...args]);
  const files = Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
  return { code: result.code, files, stderr: result.stderr, dir };
}

export interface InProcessOptions {
  readonly config: string;
  readonly env?: string;
  readonly image?: string;
  readonly json?: boolean;
}

/**
 * The same translation in this process (the CLI's loading and input, without spawning it), written to a
 * fresh folder; `stderr` holds what the CLI would print for the untranslated keys.
 */
export async function exportTo(target: ExportTarget, options: InProcessOptions): Promise<Exported> {
  const dir = tempDir('nu-export-');
  const loaded = await loadConfig({ configPath: options.config, cwd: PROJECT_ROOT, profile: options.env, env: {} });
  const result = exportConfig(target, exportInput(loaded, options));
  if (!result.ok) return { code: 1, files: {}, stderr: result.message, dir };
  for (const file of result.files) fs.writeFileSync(path.join(dir, file.name), file.text);
  const stderr = result.untranslated.map((note) => `not translated ${note.app}.${note.key}: ${note.advice}\n`).join('');
  return { code: 0, files: Object.fromEntries(result.files.map((file) => [file.name, file.text])), stderr, dir };
}

/** `app.key` of every "not translated" line on stderr, sorted. */
export function notedKeys(stderr: string): string[] {
  return [...stderr.matchAll(/^not translated (\S+?): /gm)].map((m) => m[1] ?? '').sort();
}

/** `app.key` of every note in the output's comment block, sorted. */
export function commentedKeys(text: string, marker = '#'): string[] {
  const escaped = marker.replace(/[/]/g, '\\/');
  return [...text.matchAll(new RegExp(`^${escaped}\\s+(\\S+?): `, 'gm'))].map((m) => m[1] ?? '').filter((k) => k.includes('.')).sort();
}

/** systemd-analyze verify on every unit in a folder: its exit code and everything it printed. */
export function verifyUnits(dir: string): { readonly code: number | null; readonly output: string } {
  const units = fs.readdirSync(dir).filter((name) => /\.(service|target)$/.test(name)).map((name) => path.join(dir, name));
  const result = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

export function hasSystemdAnalyze(): boolean {
  return spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** The value at a dotted path (`spec.containers.0.image`) in parsed data; undefined where the path ends early. */
export function dig(value: unknown, dotted: string): unknown {
  let current = value;
  for (const key of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Readonly<Record<string, unknown>>)[key];
  }
  return current;
}
