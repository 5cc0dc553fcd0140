import path from 'node:path';
import vm from 'node:vm';
import { ConfigError } from './errors.js';

function lineColumn(source: string, position: number): string {
  const before = source.slice(0, position);
  const line = before.split('\n').length;
  return `${line}:${position - before.lastIndexOf('\n')}`;
}

function syntaxError(file: string, where: string, what: string, message: string): ConfigError {
  return new ConfigError(file, [{ severity: 'error', path: '', message: `${path.basename(file)}:${where}: ${what}: ${message}` }]);
}

/**
 * pm2 evaluates .json and .json5 ecosystems as a JavaScript expression, so comments, trailing commas,
 * unquoted keys, single quotes and `process.env.X || 'default'` load there, and load here. The expression
 * sees `process.env` (the supervisor's environment) and nothing else of the supervisor.
 */
export function importJson(file: string, source: string, env: Readonly<Record<string, string | undefined>>): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch (jsonError) {
    try {
      const sandbox = { process: { env: { ...env } } };
      return vm.runInNewContext(`(${source}\n)`, sandbox, { filename: file, timeout: 1000 }) as unknown;
    } catch (jsError) {
      const message = jsonError instanceof Error ? jsonError.message : String(jsonError);
      const where = jsonErrorLocation(source, message, file, jsError);
      if (isSyntaxError(jsError)) throw syntaxError(file, where, 'invalid JSON', message.replace(/ in JSON at position \d+.*/, '').replace(/\s*\n\s*/g, ' '));
      throw syntaxError(file, where, 'threw while loading', errorText(jsError));
    }
  }
}

/** Errors from the vm context belong to another realm: `instanceof` does not see them. */
function isSyntaxError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'SyntaxError';
}

function errorText(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    return `${'name' in error && typeof error.name === 'string' && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}`;
  }
  return String(error);
}

/**
 * line:column of a JSON syntax error. Node 20's JSON.parse gives a position for some errors only; otherwise
 * the end of the input, or the line the JavaScript parser stopped at.
 */
function jsonErrorLocation(source: string, message: string, file: string, jsError: unknown): string {
  const position = /position (\d+)/.exec(message);
  if (position) return lineColumn(source, Number(position[1]));
  if (/end of JSON input/.test(message)) return lineColumn(source, source.trimEnd().length);
  const stack = typeof jsError === 'object' && jsError !== null && 'stack' in jsError && typeof jsError.stack === 'string' ? jsError.stack : '';
  const line = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`, 'm').exec(stack)?.[1];
  return line ?? lineColumn(source, 0);
}

/** YAML ecosystems (`pm2 start process.yml`): the first error with its line and column. */
export async function importYaml(file: string, source: string): Promise<unknown> {
  // Loaded for YAML files only: the parser is ~5 MiB of a supervisor's RSS that a .js or .ts config never needs.
  const { parseDocument } = await import('yaml');
  const document = parseDocument(source);
  const [error] = document.errors;
  if (error) {
    const at = error.linePos?.[0];
    throw syntaxError(file, at ? `${at.line}:${at.col}` : '1', 'invalid YAML', error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message);
  }
  return document.toJS() as unknown;
}
