import path from 'node:path';

export interface StateDirOptions {
  /** --state-dir */
  readonly stateDir?: string | undefined;
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** --state-dir, else NODE_UNIT_STATE_DIR, else `.node-unit` beside the config file. Light: the CLI's fast path uses it. */
export function stateDirFor(configDir: string, options: StateDirOptions): string {
  const fromEnv = (options.env ?? process.env).NODE_UNIT_STATE_DIR;
  if (options.stateDir) return path.resolve(options.cwd, options.stateDir);
  if (fromEnv) return path.resolve(options.cwd, fromEnv);
  return path.join(configDir, '.node-unit');
}

/** The explicit state folder (--state-dir or NODE_UNIT_STATE_DIR), if any: then no config file is needed. */
export function explicitStateDir(options: StateDirOptions): string | undefined {
  const fromEnv = (options.env ?? process.env).NODE_UNIT_STATE_DIR;
  if (options.stateDir) return path.resolve(options.cwd, options.stateDir);
  return fromEnv ? path.resolve(options.cwd, fromEnv) : undefined;
}
