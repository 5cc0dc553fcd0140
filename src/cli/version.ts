import fs from 'node:fs';

/** Our package.json, found upward from this file: it runs from dist/src/cli, or from src/cli under tsx. */
export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const raw: unknown = JSON.parse(fs.readFileSync(new URL(up, import.meta.url), 'utf8'));
      if (typeof raw === 'object' && raw !== null && 'name' in raw && raw.name === 'node-unit' && 'version' in raw && typeof raw.version === 'string') return raw.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}
