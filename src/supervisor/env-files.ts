import fs from 'node:fs';
import type { AppSpec, EnvSource } from '../model/app.js';
import { parseDotenv } from '../util/dotenv.js';

export interface AppEnv {
  readonly env: Readonly<Record<string, string>>;
  readonly sources: Readonly<Record<string, EnvSource>>;
  /** Env files that could not be read or parsed now: their values from before are used, and the start says so. */
  readonly problems: readonly string[];
}

function isFromFile(source: EnvSource | undefined): source is Extract<EnvSource, { kind: 'env_file' }> {
  return source?.kind === 'env_file';
}

/** One env file as it is now, or its values from before (with the reason) when it cannot be read. */
function readNow(app: AppSpec, file: string): { readonly vars: Readonly<Record<string, string>>; readonly problem?: string } {
  let problem: string;
  try {
    const parsed = parseDotenv(fs.readFileSync(file, 'utf8'));
    if (parsed.ok) return { vars: parsed.vars };
    problem = `line ${parsed.line}: ${parsed.error}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problem = code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(error)})`;
  }
  const before: Record<string, string> = {};
  for (const [name, source] of Object.entries(app.envSources)) {
    const value = app.env[name];
    if (isFromFile(source) && source.file === file && value !== undefined) before[name] = value;
  }
  return { vars: before, problem: `env_file ${file}: ${problem}; started with its values from before` };
}

/**
 * The app's own variables with its env files read again, so an edit of a .env takes effect at the next start
 * (like an app that reads its .env itself). The files are the lowest layer: env, env_<profile> and the rest
 * still win over them.
 */
export function currentAppEnv(app: AppSpec): AppEnv {
  if (app.envFiles.length === 0) return { env: app.env, sources: app.envSources, problems: [] };
  const env: Record<string, string> = {};
  const sources: Record<string, EnvSource> = {};
  const problems: string[] = [];
  for (const file of app.envFiles) {
    const { vars, problem } = readNow(app, file);
    if (problem !== undefined) problems.push(problem);
    for (const [name, value] of Object.entries(vars)) {
      env[name] = value;
      sources[name] = { kind: 'env_file', file };
    }
  }
  for (const [name, value] of Object.entries(app.env)) {
    const source = app.envSources[name];
    if (isFromFile(source)) continue;
    env[name] = value;
    sources[name] = source ?? { kind: 'env' };
  }
  return { env, sources, problems };
}
