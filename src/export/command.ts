import path from 'node:path';
import type { AppSpec } from '../model/app.js';
import { INTERPRETER_BY_EXTENSION, NODE_SCRIPT } from '../util/interpreters.js';
import { needsShell } from '../util/shell-words.js';
import type { ExportInput, Untranslated } from './types.js';

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

/** Where the project sits in the image: the config's folder on this host is `workdir` there. */
export type Placement = Pick<ExportInput, 'configDir' | 'workdir'>;

const inProject = (hostPath: string, place: Placement): boolean => hostPath === place.configDir || hostPath.startsWith(`${place.configDir}/`);

function relocate(hostPath: string, place: Placement): string {
  return path.posix.join(place.workdir, path.relative(place.configDir, hostPath).split(path.sep).join('/'));
}

/** A word naming a file of the project by its host path (`__dirname + '/server.js'`) names it in the image; any other word stays. */
export function inImage(word: string, place: Placement): string {
  return inProject(word, place) ? relocate(word, place) : word;
}

/** The argv inside a container whose working folder is the app's cwd: relative paths stay as written. */
export function containerCommand(app: AppSpec, place: Placement): readonly string[] {
  const shape = shapeOf(app);
  const script = inImage(app.script, place);
  const args = app.args.map((arg) => inImage(arg, place));
  switch (shape.kind) {
    case 'shell':
      return shellLine({ ...app, args });
    case 'direct':
      return [script, ...args];
    case 'interpreter':
      return [shape.program, ...app.interpreterArgs, script, ...args];
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

/** The app's folder inside the image: the config folder is `workdir`; a folder outside it is kept, and said so. */
export function containerCwd(app: AppSpec, place: Placement, notes: Untranslated[]): string {
  if (inProject(app.cwd, place)) return relocate(app.cwd, place);
  notes.push({
    app: app.name,
    key: 'cwd',
    advice: `${app.cwd} is outside the project folder ${place.configDir}, which the image holds at ${place.workdir}: it is written as is; make sure the image has it, or move the app into the project`,
  });
  return app.cwd;
}
