import type { ExportApp, ExportTarget, Untranslated } from './types.js';
import { untranslatedKeys } from './table.js';

/** The lines that head every exported file: where it came from and what it could not carry. */
export function noteLines(target: ExportTarget, untranslated: readonly Untranslated[]): readonly string[] {
  const head = `Exported by \`node-unit export ${target}\`.`;
  if (untranslated.length === 0) return [head, 'Every key of the ecosystem file was translated.'];
  return [head, `Not translated (${untranslated.length}):`, ...untranslated.map((u) => `  ${u.app}.${u.key}: ${u.advice}`)];
}

export function commentBlock(lines: readonly string[], marker = '#'): string {
  return `${lines.map((line) => `${marker} ${line}`.trimEnd()).join('\n')}\n`;
}

/** The keys no target of this kind translates for any app, plus notes a translator adds for one app. */
export function collectNotes(apps: readonly ExportApp[], target: ExportTarget, extra: readonly Untranslated[]): readonly Untranslated[] {
  const all = [...apps.flatMap((app) => untranslatedKeys(app, target)), ...extra];
  const seen = new Set<string>();
  return all.filter((note) => {
    const id = `${note.app}\0${note.key}\0${note.advice}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
