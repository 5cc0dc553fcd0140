import fs from 'node:fs';
import path from 'node:path';

/**
 * Anchored path patterns for a worker's trust rules, and the path resolution they are matched against.
 * A pattern always matches a whole string; it comes from the worker's own config, never from the wire.
 * The candidate is a real path (symlinks followed, `..` gone), so a spec cannot walk out of a trusted folder.
 */

/** A glob on absolute paths (`*` and `?` stay within one segment, `**` crosses them) or a RegExp. */
export type PathPattern = string | RegExp;

export interface CompiledPattern {
  /** As the user wrote it, for messages. */
  readonly source: string;
  readonly regexp: RegExp;
}

const ESCAPE = /[.+^${}()|[\]\\]/g;

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] ?? '';
    if (char === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else out += char.replace(ESCAPE, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The pattern, compiled to match whole strings only, or a problem naming what is wrong with it. */
export function compilePattern(pattern: unknown): CompiledPattern | string {
  if (pattern instanceof RegExp) {
    // g and y make test() stateful; whatever the user wrote, the match is of the whole string.
    const flags = pattern.flags.replace(/[gy]/g, '');
    return { source: String(pattern), regexp: new RegExp(`^(?:${pattern.source})$`, flags) };
  }
  if (typeof pattern !== 'string') return `expected a path pattern (a string such as "/srv/apps/**" or a RegExp), got ${JSON.stringify(pattern) ?? typeof pattern} (${typeof pattern})`;
  if (!path.isAbsolute(pattern)) return `expected an absolute path pattern, got ${JSON.stringify(pattern)}`;
  if (pattern.split('/').some((segment) => segment === '..' || segment === '.')) return `"." and ".." segments are not allowed in a pattern, got ${JSON.stringify(pattern)}`;
  if (hasControl(pattern)) return `control characters are not allowed in a pattern, got ${JSON.stringify(pattern)}`;
  return { source: pattern, regexp: globToRegExp(pattern) };
}

export const matchesAny = (patterns: readonly CompiledPattern[], candidate: string): boolean => patterns.some((p) => p.regexp.test(candidate));

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
export const hasControl = (text: string): boolean => CONTROL.test(text);

/** How paths become real: the file system by default, a seam only for odd platforms. */
export interface PathResolver {
  /** The canonical absolute path (symlinks followed), or undefined when it does not exist. */
  realpath(file: string): string | undefined;
  /** A bare command name looked up in PATH, or undefined. */
  which(command: string): string | undefined;
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export const fileSystemResolver = (searchPath = process.env.PATH ?? ''): PathResolver => ({
  realpath: realpathOrUndefined,
  which: (command) => searchPath.split(path.delimiter).filter((dir) => path.isAbsolute(dir)).map((dir) => path.join(dir, command)).find(isExecutableFile),
});

/**
 * A program as pm2 finds a script: a path (absolute, or relative to `cwd`), else a bare name from PATH;
 * resolved to its real path, which is what the worker then runs. Undefined when it does not exist.
 */
export function resolveProgram(program: string, cwd: string, resolver: PathResolver): string | undefined {
  const inCwd = resolver.realpath(path.resolve(cwd, program));
  if (inCwd !== undefined || program.includes('/')) return inCwd;
  const found = resolver.which(program);
  return found === undefined ? undefined : resolver.realpath(found);
}
