import path from 'node:path';
import { ConfigError, formatDiagnostic, type Diagnostic } from '../config/errors.js';
import { stderrColors } from './output.js';

/** Prints warnings to stderr, one line each. */
export function printWarnings(warnings: readonly Diagnostic[], file: string | undefined): void {
  const c = stderrColors();
  const where = file ? `${path.basename(file)}: ` : '';
  for (const w of warnings) if (w.severity === 'warning') process.stderr.write(`${c.yellow('warning')} ${where}${formatDiagnostic(w)}\n`);
}

/** Prints a ConfigError as the user should read it: every problem, errors first. */
export function printConfigError(error: ConfigError): void {
  const c = stderrColors();
  const errors = error.issues.filter((d) => d.severity === 'error');
  if (error.file === undefined) {
    // No file was found: there is nothing to count problems in.
    for (const d of errors) process.stderr.write(`${c.red('error')} ${formatDiagnostic(d)}\n`);
    return printWarnings(error.issues, undefined);
  }
  const file = path.relative(process.cwd(), error.file) || error.file;
  process.stderr.write(`${c.red('error')} ${file}: ${errors.length === 1 ? '1 problem' : `${errors.length} problems`}\n`);
  for (const d of errors) process.stderr.write(`  ${formatDiagnostic(d)}\n`);
  printWarnings(error.issues, error.file);
}

/** Runs a command body; a ConfigError is printed and exits 1. */
export async function withConfigErrors(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ConfigError) {
      printConfigError(error);
      return 1;
    }
    throw error;
  }
}
