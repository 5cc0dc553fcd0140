import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { stderrColors } from './output.js';
import { pluginConfigOf } from './plugins-up.js';
import { registerPluginCommands, type CommandFactory } from './plugin-commands.js';

/**
 * Plugin commands live in the config, so finding them means loading it. That happens only for help and
 * for a verb that is not built in: `ls`, `up` and the other built-ins never pay for it.
 */

const HELP: ReadonlySet<string> = new Set(['-h', '--help', 'help']);

/** --config, --env and --state-dir wherever they stand (`--config x`, `--config=x`, `-c x`). */
function projectArgs(argv: readonly string[]): { config?: string; env?: string; stateDir?: string } {
  const found: { config?: string; env?: string; stateDir?: string } = {};
  const keys: Readonly<Record<string, 'config' | 'env' | 'stateDir'>> = { '-c': 'config', '--config': 'config', '-e': 'env', '--env': 'env', '--state-dir': 'stateDir' };
  argv.forEach((arg, index) => {
    const [flag = '', inline] = arg.startsWith('--') ? arg.split(/=(.*)/s) : [arg];
    const key = keys[flag];
    const value = inline ?? argv[index + 1];
    if (key && value !== undefined) found[key] = value;
  });
  return found;
}

export async function addPluginCommands(program: Command, argv: readonly string[], withProjectOptions: CommandFactory, record: (code: number) => void): Promise<void> {
  const options = projectArgs(argv);
  try {
    const loaded = await loadConfig({ configPath: options.config, cwd: process.cwd(), profile: options.env, stateDir: options.stateDir ?? process.env.NODE_UNIT_STATE_DIR });
    registerPluginCommands(program, loaded.plugins, pluginConfigOf(loaded), withProjectOptions, record);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const verb = argv[0];
    const lookingForACommand = verb !== undefined && !HELP.has(verb);
    // No config here is normal for help; for an unknown verb, the reason plugin commands are missing helps.
    if (lookingForACommand && error.file !== undefined) process.stderr.write(`${stderrColors().yellow('note')} plugin commands come from ${error.file}, which could not be loaded (run 'node-unit validate')\n`);
  }
}
