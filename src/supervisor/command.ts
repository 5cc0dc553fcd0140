import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppSpec } from '../model/app.js';
import { needsShell } from '../util/shell-words.js';
import { INTERPRETER_BY_EXTENSION, NODE_SCRIPT } from '../util/interpreters.js';

/** What to execute for an instance. `node` commands get an IPC channel (process.send('ready')). */
export type Command =
  | { readonly ok: true; readonly file: string; readonly args: readonly string[]; readonly node: boolean; readonly extraEnv: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly reason: string };

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A program looked for: found, found but not executable (the user must hear that, not "not found"), or missing. */
type Lookup = { readonly kind: 'found'; readonly file: string } | { readonly kind: 'not-executable'; readonly file: string } | { readonly kind: 'missing' };

function lookupIn(candidates: readonly string[]): Lookup {
  let notExecutable: string | undefined;
  for (const candidate of candidates) {
    if (!isFile(candidate)) continue;
    if (isExecutable(candidate)) return { kind: 'found', file: candidate };
    notExecutable ??= candidate;
  }
  return notExecutable === undefined ? { kind: 'missing' } : { kind: 'not-executable', file: notExecutable };
}

/** Finds a program: a path as given, else the project's node_modules/.bin, else PATH. */
function findProgram(name: string, cwd: string, envPath: string | undefined): Lookup {
  if (name.includes('/')) return lookupIn([path.resolve(cwd, name)]);
  const dirs = [path.join(cwd, 'node_modules', '.bin'), ...(envPath ?? '').split(path.delimiter).filter(Boolean)];
  return lookupIn(dirs.map((dir) => path.join(dir, name)));
}

const notExecutable = (file: string): Command => ({ ok: false, reason: `${file} exists but is not executable (chmod +x it, or set an interpreter)` });

function shebang(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(128);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, read).toString('latin1');
    return head.startsWith('#!') ? (head.split('\n')[0] ?? '') : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Built next to this module; absent when running from the TypeScript sources, and then not injected. */
const STDIO_PRELOAD = fileURLToPath(new URL('./stdio-preload.cjs', import.meta.url));
const hasPreload = isFile(STDIO_PRELOAD);

/** Node's own arguments for a Node app: the blocking-stdio preload (unless turned off), then the app's. */
export function nodeArgs(app: AppSpec): readonly string[] {
  return app.blockingStdio && hasPreload ? ['--require', STDIO_PRELOAD, ...app.interpreterArgs] : app.interpreterArgs;
}

function viaInterpreter(app: AppSpec, interpreter: string, script: string, envPath: string | undefined): Command {
  if (interpreter === 'node') return { ok: true, file: process.execPath, args: [...nodeArgs(app), script, ...app.args], node: true, extraEnv: {} };
  const program = findProgram(interpreter, app.cwd, envPath);
  if (program.kind === 'not-executable') return { ok: false, reason: `interpreter ${program.file} exists but is not executable` };
  if (program.kind === 'missing') return { ok: false, reason: `interpreter "${interpreter}" not found (not in node_modules/.bin or on PATH)` };
  const extraEnv: Readonly<Record<string, string>> = interpreter.startsWith('python') ? { PYTHONUNBUFFERED: '1' } : {};
  return { ok: true, file: program.file, args: [...app.interpreterArgs, script, ...app.args], node: false, extraEnv };
}

function shellLine(app: AppSpec): Command {
  const quoted = app.args.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`);
  return { ok: true, file: '/bin/sh', args: ['-c', [app.script, ...quoted].join(' ')], node: false, extraEnv: {} };
}

/** pm2's rules for what runs a script, made stricter where pm2 guesses wrong. */
export function resolveCommand(app: AppSpec, envPath: string | undefined): Command {
  const scriptPath = path.resolve(app.cwd, app.script);
  const exists = isFile(scriptPath);
  if (app.interpreter === 'none') {
    // The script is a file of the project first (as pm2 resolves it), then a command on PATH.
    const program = exists ? lookupIn([scriptPath]) : findProgram(app.script, app.cwd, envPath);
    if (program.kind === 'not-executable') return notExecutable(program.file);
    if (program.kind === 'missing') return { ok: false, reason: `"${app.script}" not found in ${app.cwd} or on PATH` };
    return { ok: true, file: program.file, args: app.args, node: false, extraEnv: {} };
  }
  if (app.interpreter !== undefined) {
    if (!exists) return { ok: false, reason: `script ${scriptPath} does not exist` };
    return viaInterpreter(app, app.interpreter, scriptPath, envPath);
  }
  if (!exists && (/\s/.test(app.script.trim()) || needsShell(app.script))) return shellLine(app);
  if (exists) {
    const extension = path.extname(scriptPath);
    if (NODE_SCRIPT.test(extension)) return viaInterpreter(app, 'node', scriptPath, envPath);
    const byExtension = INTERPRETER_BY_EXTENSION[extension];
    if (byExtension) return viaInterpreter(app, byExtension, scriptPath, envPath);
    const line = shebang(scriptPath);
    if (line !== undefined && /\bnode\b/.test(line)) return viaInterpreter(app, 'node', scriptPath, envPath);
    if (isExecutable(scriptPath)) return { ok: true, file: scriptPath, args: app.args, node: false, extraEnv: {} };
    if (line !== undefined) return notExecutable(scriptPath);
    return viaInterpreter(app, 'node', scriptPath, envPath);
  }
  if (app.script.includes('/')) return { ok: false, reason: `script ${scriptPath} does not exist` };
  const program = findProgram(app.script, app.cwd, envPath);
  if (program.kind === 'not-executable') return notExecutable(program.file);
  if (program.kind === 'missing') return { ok: false, reason: `"${app.script}" is neither a file in ${app.cwd} nor a command on PATH` };
  return { ok: true, file: program.file, args: app.args, node: false, extraEnv: {} };
}
