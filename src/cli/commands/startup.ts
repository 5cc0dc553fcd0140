import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type LoadedConfig } from '../../config/load.js';
import { startupUnit, startupUnitName, type StartupScope } from '../../export/startup.js';
import { printWarnings, withConfigErrors } from '../diagnostics.js';
import { stderrColors, withConsoleOnStderr } from '../output.js';
import type { ConfigOptions } from './validate.js';

export interface StartupOptions extends ConfigOptions {
  readonly user?: boolean;
  readonly system?: boolean;
  readonly install?: boolean;
  /** Where unit files go; systemd's folder for the scope by default. */
  readonly dir?: string;
}

function scopeOf(options: StartupOptions): StartupScope | string {
  if (options.user && options.system) return '--user and --system exclude each other: choose one';
  if (options.user) return 'user';
  if (options.system) return 'system';
  return process.getuid?.() === 0 ? 'system' : 'user';
}

function defaultDir(scope: StartupScope): string {
  if (scope === 'system') return '/etc/systemd/system';
  return path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'systemd', 'user');
}

/** The user and group this process runs as, by name: a unit runs its apps as whoever wrote it. */
export function currentAccount(): { readonly user: string; readonly group: string } {
  const me = os.userInfo();
  return { user: me.username, group: groupName(me.gid) };
}

function groupName(gid: number): string {
  try {
    const line = fs.readFileSync('/etc/group', 'utf8').split('\n').find((entry) => entry.split(':')[2] === String(gid));
    return line?.split(':')[0] || String(gid);
  } catch {
    return String(gid);
  }
}

/** The variables the supervisor needs from this shell: PATH finds interpreters, HOME and the state folder keep their meaning. */
function inheritedEnv(stateDir: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'NODE_ENV']) {
    const value = process.env[key];
    if (value !== undefined && value !== '') env[key] = value;
  }
  if (stateDir !== undefined) env.NODE_UNIT_STATE_DIR = path.resolve(stateDir);
  return env;
}

/** systemctl, when this machine runs systemd; a failure is reported, never fatal: the file is in place. */
function systemctl(scope: StartupScope, args: readonly string[]): string | undefined {
  const result = spawnSync('systemctl', [...(scope === 'user' ? ['--user'] : []), ...args], { encoding: 'utf8', timeout: 30_000 });
  if (result.status === 0) return undefined;
  return (result.error?.message ?? result.stderr.trim()) || `systemctl exited with ${result.status}`;
}

/** Runs `body` with the chosen scope and the loaded config; a bad flag or config ends the command first. */
async function withProject(options: StartupOptions, body: (scope: StartupScope, loaded: LoadedConfig) => Promise<number>): Promise<number> {
  const scope = scopeOf(options);
  if (scope !== 'user' && scope !== 'system') {
    process.stderr.write(`${stderrColors().red('error')} ${scope}\n`);
    return 2;
  }
  return withConfigErrors(async () => {
    const loaded = await withConsoleOnStderr(() => loadConfig({ configPath: options.config, cwd: process.cwd(), profile: options.env, stateDir: options.stateDir }));
    return body(scope, loaded);
  });
}

const CLI_PATH = fileURLToPath(new URL('../../../../bin/node-unit.js', import.meta.url));

/** `node-unit startup`: prints, or installs, a systemd unit that runs this project's supervisor. */
export async function startupCommand(options: StartupOptions): Promise<number> {
  const c = stderrColors();
  return withProject(options, async (scope, loaded) => {
    printWarnings(loaded.warnings, loaded.file);
    const text = startupUnit({
      scope,
      ...currentAccount(),
      configFile: loaded.file,
      configDir: loaded.configDir,
      nodePath: process.execPath,
      cliPath: CLI_PATH,
      env: inheritedEnv(options.stateDir),
      profile: options.env,
      apps: loaded.apps,
    });
    const name = startupUnitName(loaded.configDir);
    if (!options.install) {
      process.stdout.write(text);
      process.stderr.write(`(printed only: \`node-unit startup --${scope} --install\` writes it as ${path.join(options.dir ?? defaultDir(scope), name)} and enables it)\n`);
      return 0;
    }
    const dir = options.dir ?? defaultDir(scope);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
    if (options.dir !== undefined) return 0;
    const failed = systemctl(scope, ['daemon-reload']) ?? systemctl(scope, ['enable', '--now', name]);
    if (failed) {
      process.stderr.write(`${c.yellow('warning')} could not enable it (${failed}); run: systemctl ${scope === 'user' ? '--user ' : ''}daemon-reload && systemctl ${scope === 'user' ? '--user ' : ''}enable --now ${name}\n`);
    } else {
      process.stdout.write(`enabled and started ${name}${scope === 'user' ? ' (for it to start at boot without a login: loginctl enable-linger)' : ''}\n`);
    }
    return 0;
  });
}

/** `node-unit unstartup`: stops, disables and removes the unit `startup --install` wrote. */
export async function unstartupCommand(options: StartupOptions): Promise<number> {
  const c = stderrColors();
  return withProject(options, async (scope, loaded) => {
    const name = startupUnitName(loaded.configDir);
    const file = path.join(options.dir ?? defaultDir(scope), name);
    if (!fs.existsSync(file)) {
      process.stderr.write(`${c.red('error')} no unit at ${file}: nothing to remove${options.user || options.system ? '' : ` (try --${scope === 'user' ? 'system' : 'user'})`}\n`);
      return 1;
    }
    const failed = options.dir === undefined ? systemctl(scope, ['disable', '--now', name]) : undefined;
    if (failed) process.stderr.write(`${c.yellow('warning')} could not disable it (${failed}); removing the file anyway\n`);
    fs.rmSync(file);
    if (options.dir === undefined) systemctl(scope, ['daemon-reload']);
    process.stdout.write(`removed ${file}\n`);
    return 0;
  });
}
