import type { LogLine } from '../model/events.js';
import { linesOfText, unpackRun, type LogRun } from '../model/log-runs.js';
import { count, fits, literal, number, object, optional, string, type Shape } from './schema.js';
import { instanceIdShape } from './shapes.js';

/** Runs of log lines (model/log-runs.ts) as they come in on the wire: checked field by field, then split. */

export { packLines, RUN_CHARS, unpackRun, type LogRun } from '../model/log-runs.js';

/** A run, as the receiving side checks it before splitting it into lines. */
export const logRunShape: Shape<LogRun> = object({
  seq: count,
  count,
  node: optional(string),
  id: instanceIdShape,
  app: string,
  stream: literal('out', 'err'),
  time: number,
  text: string,
  skipped: optional(count),
});

/** Checked runs from a peer, kept as runs (for a relay); the error names the run that does not fit, as unpackRuns would. */
export function checkRuns(value: unknown, path: string): { readonly ok: true; readonly runs: LogRun[] } | { readonly ok: false; readonly error: string } {
  if (!Array.isArray(value)) return { ok: false, error: `${path}: expected an array of log runs` };
  const runs: LogRun[] = [];
  for (let i = 0; i < value.length; i++) {
    const where = `${path}[${i}]`;
    const run = fits(logRunShape, value[i], where);
    if (!run.ok) return run;
    const { count, skipped, text } = run.value;
    if (count > 1 && (skipped !== undefined || linesOfText(text) !== count)) return { ok: false, error: `${where}: expected ${count} lines without a skipped count, got ${linesOfText(text)}${skipped === undefined ? '' : ' and a skipped count'}` };
    runs.push(run.value);
  }
  return { ok: true, runs };
}

/** Checked runs from a peer, as lines; the error names the run that does not fit. */
export function unpackRuns(value: unknown, path: string): { readonly ok: true; readonly lines: LogLine[] } | { readonly ok: false; readonly error: string } {
  const checked = checkRuns(value, path);
  if (!checked.ok) return checked;
  const lines: LogLine[] = [];
  checked.runs.forEach((run, i) => unpackRun(run, lines, `${path}[${i}]`));
  return { ok: true, lines };
}
