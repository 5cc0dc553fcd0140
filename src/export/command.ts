import path from 'node:path';
import type { AppSpec } from '../model/app.js';
import { INTERPRETER_BY_EXTENSION, NODE_SCRIPT } from '../util/interpreters.js';
import { needsShell } from '../util/shell-words.js';

/** How an app's command line is formed, before it is placed on a host or in an image. */
type CommandShape =
  | { readonly kind: 'interpreter'; readonly program: string }
  | { readonly kind: 'direct' }
  | { readonly kind: 'shell' };

function shapeOf(app: AppSpec): CommandShape {
  if (app.interpreter === 'none') return { kind: 'direct' };
  if (app.interpreter !== undefined) return { kind: 'interpreter', program: app.interpreter };
  const script = app.script.trim();
  if (/\s/.test(script) || needsShell(script)) return { kind: 'shell' };
  const extension = path.extname(script);
  if (NODE_SCRIPT.test(extension)) return { kind: 'interpreter', program: 'node' };
  const byExtension = INTERPRETER_BY_EXTENSION[extension];
  return byExtension ? { kind: 'interpreter', program: byExtension } : { kind: 'direct' };
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function shellLine(app: AppSpec): readonly string[] {
  return ['/bin/sh', '-c', [app.script, ...app.args.map(shellQuote)].join(' ')];
}

/** The argv inside a container whose working folder is the app's cwd: paths stay as written. */
export function containerCommand(app: AppSpec): readonly string[] {
  const shape = shapeOf(app);
  switch (shape.kind) {
    case 'shell':
      return shellLine(app);
    case 'direct':
      return [app.script, ...app.args];
    case 'interpreter':
      return [shape.program, ...app.interpreterArgs, app.script, ...app.args];
  }
}

/** The argv on this host: absolute paths, node as given, other programs found on PATH by env. */
export function hostCommand(app: AppSpec, nodePath: string): readonly string[] {
  const shape = shapeOf(app);
  const script = app.script.includes('/') || shape.kind === 'interpreter' ? path.resolve(app.cwd, app.script) : app.script;
  switch (shape.kind) {
    case 'shell':
      return shellLine(app);
    case 'direct':
      return script.startsWith('/') ? [script, ...app.args] : ['/usr/bin/env', script, ...app.args];
    case 'interpreter': {
      const program = shape.program === 'node' ? [nodePath] : shape.program.startsWith('/') ? [shape.program] : ['/usr/bin/env', shape.program];
      return [...program, ...app.interpreterArgs, script, ...app.args];
    }
  }
}

/** The app's folder inside the image: the config folder is `workdir`. */
export function containerCwd(app: AppSpec, configDir: string, workdir: string): string {
  const relative = path.relative(configDir, app.cwd).split(path.sep).join('/');
  return path.posix.join(workdir, relative);
}
