import fs from 'node:fs';
import path from 'node:path';
import { locateConfig } from '../config/discover.js';
import { explicitStateDir, stateDirFor } from '../config/state-dir.js';
import { ConfigError } from '../config/errors.js';
import { connectControl, type ControlClient } from '../control/client.js';
import { ControlError } from '../control/errors.js';
import { controlSocketPath } from '../control/paths.js';
import { printConfigError } from './diagnostics.js';
import { stderrColors } from './output.js';

/** How a client command finds its project: the same options as `up`, without loading the config file. */
export interface ProjectOptions {
  readonly config?: string;
  readonly stateDir?: string;
}

export interface ProjectSocket {
  readonly project: string;
  readonly socketPath: string;
}

/**
 * A running supervisor's state folder, found upward from cwd: a client needs only the socket, so a project
 * whose config has another name (`up --config ecosystem.example.ts`) is still found from its folder.
 */
function runningStateDirAbove(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.node-unit');
    if (fs.existsSync(controlSocketPath(candidate))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The project's name and socket path; an explicit state folder needs no config file at all. */
export function locateProject(options: ProjectOptions, cwd = process.cwd()): ProjectSocket {
  const explicit = explicitStateDir({ stateDir: options.stateDir, cwd });
  if (explicit && options.config === undefined) return { project: path.basename(path.dirname(explicit)), socketPath: controlSocketPath(explicit) };
  let configFile: string;
  try {
    configFile = locateConfig(options.config, cwd);
  } catch (error) {
    const running = options.config === undefined && error instanceof ConfigError ? runningStateDirAbove(cwd) : undefined;
    if (!running) throw error;
    return { project: path.basename(path.dirname(running)), socketPath: controlSocketPath(running) };
  }
  const configDir = path.dirname(configFile);
  const stateDir = stateDirFor(configDir, { stateDir: options.stateDir, cwd });
  return { project: path.basename(configDir), socketPath: controlSocketPath(stateDir) };
}

export function printError(message: string): void {
  process.stderr.write(`${stderrColors().red('error')} ${message}\n`);
}

/**
 * The part every verb's output shares: with --json the result as it came, else a failure as an error line.
 * Returns the exit code when that was all there was to print; undefined when the caller prints the success.
 */
export function printJsonOrFailure(result: { readonly ok: true } | { readonly ok: false; readonly message: string }, json: boolean | undefined): number | undefined {
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.ok ? 0 : 1;
  }
  if (result.ok) return undefined;
  printError(result.message);
  return 1;
}

/** Connects to the project's supervisor and runs `body`; every way of not getting there is exit 1 with a message. */
export async function withClient(options: ProjectOptions, body: (client: ControlClient, project: string) => Promise<number>): Promise<number> {
  let located: ProjectSocket;
  try {
    located = locateProject(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    printConfigError(error);
    return 1;
  }
  let client: ControlClient;
  try {
    client = await connectControl(located.socketPath);
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    printError(error.code === 'not_running' ? `no node-unit supervisor is running for ${located.project} — start one with 'node-unit up'` : error.message);
    return 1;
  }
  try {
    return await body(client, located.project);
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    printError(`${error.message} (${located.project})`);
    return 1;
  } finally {
    await client.close();
  }
}
