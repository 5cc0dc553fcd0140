import fs from 'node:fs';
import path from 'node:path';
import type { ExportFile } from '../../export/types.js';
import { writableFolderProblem } from '../../util/writable-folder.js';

export type WriteOutcome = { readonly ok: true; readonly written: readonly string[] } | { readonly ok: false; readonly message: string };

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A file that already stands where an exported file goes and is not a plain file (a folder, a socket). */
function blocked(full: string): string | undefined {
  const stat = fs.lstatSync(full, { throwIfNoEntry: false });
  if (stat === undefined || stat.isFile()) return undefined;
  return `${full} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}: move it away or choose another --out`;
}

/**
 * Writes every file into `out`, or none: each is first written beside its place under a temporary name, and
 * only when all of them are there do they take their names. A problem is told with the path it is about.
 */
export function writeExport(out: string, files: readonly ExportFile[]): WriteOutcome {
  const folderProblem = writableFolderProblem(out);
  if (folderProblem !== undefined) return { ok: false, message: `--out ${out}: ${folderProblem}` };
  const targets = files.map((file) => ({ full: path.join(out, file.name), temp: path.join(out, `.${file.name}.${process.pid}.tmp`), text: file.text }));
  const obstacle = targets.map((target) => blocked(target.full)).find((problem) => problem !== undefined);
  if (obstacle !== undefined) return { ok: false, message: `--out ${out}: ${obstacle}` };
  let current = 0;
  try {
    for (; current < targets.length; current++) {
      const target = targets[current] as (typeof targets)[number];
      fs.writeFileSync(target.temp, target.text, { flag: 'wx', mode: 0o644 });
    }
  } catch (error) {
    // The file being written may be partly there: it goes with the others.
    for (const target of targets.slice(0, current + 1)) fs.rmSync(target.temp, { force: true });
    return { ok: false, message: `--out ${out}: cannot write ${targets[current]?.full ?? out}: ${describe(error)}; nothing was written` };
  }
  for (const target of targets) fs.renameSync(target.temp, target.full);
  return { ok: true, written: targets.map((target) => target.full) };
}
