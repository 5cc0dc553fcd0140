import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, tempDir } from '../helpers/tmp.js';

export const RICH = path.join(FIXTURES, 'export', 'ecosystem.config.js');

export interface Exported {
  readonly code: number | null;
  readonly files: Readonly<Record<string, string>>;
  readonly stderr: string;
  readonly dir: string;
}

/** Runs the real `node-unit export` into a fresh folder and reads back what it wrote. */
export async function exportTo(target: string, args: readonly string[]): Promise<Exported> {
  const dir = tempDir('nu-export-');
  const result = await runCli(['export', target, '--out', dir, ...args]);
  const files = Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
  return { code: result.code, files, stderr: result.stderr, dir };
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
