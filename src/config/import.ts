import fs from 'node:fs';
import path from 'node:path';
import { evaluateCommonJs } from './commonjs.js';
import { importJson, importYaml } from './formats.js';
import { ConfigError, type Diagnostic } from './errors.js';
import { ownModules } from './own-package.js';
import type { ConfigContext } from './types.js';

const LOAD_TIMEOUT_MS = 30_000;

/** Says where a config threw: its own line, not ours. */
export function describeLoadError(file: string, error: unknown): Diagnostic {
  const err = error instanceof Error ? error : new Error(String(error));
  const base = path.basename(file);
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const location = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(`${err.message}\n${err.stack ?? ''}`);
  const firstLine = err.message.split('\n')[0]?.trim() ?? '';
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(err.message)?.[1];
  const isParse = /ParseError|SyntaxError/.test(err.name + firstLine);
  // The parser counts columns from 0, stack traces and editors from 1.
  const column = location ? columnIn(file, Number(location[1]), Number(location[2]) + (isParse ? 1 : 0)) : '';
  const where = location ? `${base}:${location[1]}${column === '' ? '' : `:${column}`}` : base;
  const cause = isParse ? `syntax error: ${firstLine.replace(/^ParseError:\s*/, '')}` : `${err.name === 'Error' ? '' : `${err.name}: `}${firstLine}`;
  const diagnostic: Diagnostic = { severity: 'error', path: '', message: `${where}: ${isParse ? cause : `threw while loading: ${cause}`}` };
  if (missing === undefined) return diagnostic;
  if (/^[./]/.test(missing)) return { ...diagnostic, hint: 'check the path, relative to the config file' };
  const pkg = missing.split('/').slice(0, missing.startsWith('@') ? 2 : 1).join('/');
  return { ...diagnostic, hint: `install it (npm install ${pkg}) or remove the import` };
}

/** The column, or '' with its colon dropped when it points past the line (the loader's wrapper shifts line 1). */
function columnIn(file: string, line: number, column: number): string {
  let source = '';
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return String(column);
  }
  const text = source.split('\n')[line - 1];
  return text !== undefined && column <= text.length + 1 ? String(column) : '';
}

async function withTimeout<T>(promise: Promise<T>, file: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConfigError(file, [{ severity: 'error', path: '', message: `did not finish loading within ${LOAD_TIMEOUT_MS / 1000}s` }])), LOAD_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function pickExport(namespace: unknown): unknown {
  if (typeof namespace !== 'object' || namespace === null) return namespace;
  if ('default' in namespace && namespace.default !== undefined) return namespace.default;
  return namespace;
}

async function transpileAndEvaluate(file: string, source: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  // interopDefault off: its Proxy reads `.then` of the default export and throws on `export default null`;
  // pickExport does the unwrapping instead.
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false, interopDefault: false, alias: { ...ownModules() } });
  // evalModule with forceTranspile, not jiti.import: .js, .cjs and .mjs files would go through Node's own
  // require/import, whose caches keep serving the first version of the file after it changes.
  return jiti.evalModule(source, { filename: file, async: true, forceTranspile: true });
}

/** Imports a config file (TS, ESM, CommonJS, JSON) and returns its value; functions are called, promises awaited. */
export async function importConfig(file: string, context: ConfigContext): Promise<unknown> {
  const run = async (): Promise<unknown> => {
    const source = fs.readFileSync(file, 'utf8');
    if (source.trim() === '') throw new ConfigError(file, [{ severity: 'error', path: '', message: 'the file is empty', hint: 'an ecosystem file lists apps: { apps: [{ name: "api", script: "server.js" }] }' }]);
    if (/\.json5?$/.test(file)) return importJson(file, source, context.env);
    if (/\.ya?ml$/.test(file)) return importYaml(file, source);
    const commonJs = /\.c?js$/.test(file) ? evaluateCommonJs(file, source, ownModules()) : undefined;
    let value = pickExport(commonJs ? commonJs.value : await transpileAndEvaluate(file, source));
    if (typeof value === 'function') value = (value as (context: ConfigContext) => unknown)(context);
    return await value;
  };
  try {
    return await withTimeout(run(), file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(file, [describeLoadError(file, error)]);
  }
}
