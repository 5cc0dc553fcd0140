import path from 'node:path';
import type { LogSpec } from '../model/app.js';
import type { LogStream } from '../model/events.js';

/** pm2 without merge_logs: each instance gets its own file, `<name>-out-<index>.log`. */
export function instanceFile(file: string, index: number, merge: boolean): string {
  if (merge) return file;
  const ext = path.extname(file);
  return ext === '' ? `${file}-${index}` : `${file.slice(0, -ext.length)}-${index}${ext}`;
}

/** The distinct files a stream of one instance is written to (out or error file, plus the combined one). */
export function streamFiles(spec: LogSpec, index: number, kind: LogStream): readonly string[] {
  const own = kind === 'out' ? spec.outFile : spec.errorFile;
  const files = [own, spec.combinedFile].filter((file): file is string => file !== null);
  return [...new Set(files.map((file) => instanceFile(file, index, spec.merge)))];
}
