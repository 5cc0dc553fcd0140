import path from 'node:path';
import type { Command } from 'commander';
import type { Plugin, PluginCliContext, PluginCommand, PluginConfig } from '../model/plugin.js';
import { PluginError } from '../plugin/errors.js';
import { callRunningSupervisor } from './plugin-call.js';
import { stderrColors } from './output.js';

/** The commands the config's plugins add (`node-unit invite`), beside the built-in ones. */

/** Options every plugin command takes, as `up` does: they found the config its plugins came from. */
const PROJECT_OPTIONS: ReadonlySet<string> = new Set(['config', 'env', 'stateDir']);

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (text += chunk));
    process.stdin.once('end', () => resolve(text));
    process.stdin.once('error', reject);
  });
}

function stringsOf(values: readonly unknown[]): string[] {
  return values.flatMap((value) => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]));
}

function contextFor(plugin: Plugin, config: PluginConfig, command: Command): PluginCliContext {
  const options = Object.fromEntries(Object.entries(command.opts<Record<string, string | boolean | undefined>>()).filter(([key]) => !PROJECT_OPTIONS.has(key)));
  return {
    stateDir: config.stateDir,
    dataDir: path.join(config.stateDir, plugin.name),
    config,
    args: stringsOf(command.processedArgs),
    options,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin,
    call: (method, params) => callRunningSupervisor(config.stateDir, { plugin: plugin.name, method, params: params ?? null }),
  };
}

async function runCommand(plugin: Plugin, descriptor: PluginCommand, config: PluginConfig, command: Command): Promise<number> {
  try {
    const code = await descriptor.run(contextFor(plugin, config, command));
    return typeof code === 'number' && Number.isInteger(code) ? code : 0;
  } catch (cause) {
    process.stderr.write(`${stderrColors().red('error')} ${new PluginError(plugin.name, 'command', { kind: 'threw', cause }, descriptor.name).message}\n`);
    return 1;
  }
}

export type CommandFactory = (command: Command) => Command;

/**
 * Adds each plugin command to `program`. A name a built-in command already has stays the built-in's, with
 * a warning. `withProjectOptions` gives the command --config, --env and --state-dir.
 */
export function registerPluginCommands(program: Command, plugins: readonly Plugin[], config: PluginConfig, withProjectOptions: CommandFactory, record: (code: number) => void): void {
  const taken = new Set(['help', ...program.commands.flatMap((command) => [command.name(), ...command.aliases()])]);
  for (const plugin of plugins) {
    for (const descriptor of plugin.commands ?? []) {
      if (taken.has(descriptor.name)) {
        process.stderr.write(`${stderrColors().yellow('warning')} plugin "${plugin.name}": command "${descriptor.name}" is a built-in command; the plugin's is not added\n`);
        continue;
      }
      taken.add(descriptor.name);
      const command = withProjectOptions(program.command(descriptor.name).description(`${descriptor.description} (plugin ${plugin.name})`));
      for (const arg of descriptor.arguments ?? []) {
        const name = `${arg.name}${arg.variadic ? '...' : ''}`;
        command.argument(arg.required === false ? `[${name}]` : `<${name}>`, arg.description);
      }
      for (const option of descriptor.options ?? []) command.option(option.flags, option.description, option.default);
      command.action(async (...args: unknown[]) => record(await runCommand(plugin, descriptor, config, args[args.length - 1] as Command)));
    }
  }
}
