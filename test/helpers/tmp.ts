import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

/** A fresh temp folder, removed when the process exits (one exit listener for all of them). */
export function tempDir(prefix = 'nu-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (created.length === 0) process.once('exit', () => created.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  created.push(dir);
  return dir;
}

/** Writes files (relative path → contents) under `dir`, creating folders. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [name, contents] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents);
  }
}

/** The project root: tests run from dist/test, so fixtures are found from the cwd ava gives (the root). */
export const PROJECT_ROOT = process.cwd();
export const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures');
