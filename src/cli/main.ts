import { Command, CommanderError, Option } from 'commander';
import { packageVersion } from './version.js';
import { registerControlCommands } from './control-commands.js';

/** The composition root: parses arguments and loads only the command that runs. */

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

const configOption = (): Option => new Option('-c, --config <path>', 'ecosystem file or folder (default: found from the current folder up)');
const envOption = (): Option => new Option('-e, --env <profile>', 'use env_<profile> on top of env (pm2 style)');
const stateDirOption = (): Option => new Option('--state-dir <path>', 'state folder for logs and the socket (default: .node-unit beside the config)').env('NODE_UNIT_STATE_DIR');

let exitCode = 0;
const run = (body: () => Promise<number>) => async (): Promise<void> => {
  exitCode = await body();
};

export function buildProgram(): Command {
  const program = new Command('node-unit')
    .description('A foreground process supervisor for Node.js that runs pm2 ecosystem files unchanged.')
    .version(packageVersion(), '-v, --version')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run node-unit --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
    .addHelpText('after', examples(['node-unit init', 'node-unit validate', 'node-unit config --env production --json']));

  program
    .command('validate')
    .description('check an ecosystem file; prints "ok: N apps" or every problem found')
    .addOption(configOption())
    .addOption(envOption())
    .addOption(stateDirOption())
    .option('--strict', 'treat warnings as errors')
    .addHelpText('after', examples(['node-unit validate', 'node-unit validate --config ./deploy/ecosystem.config.js', 'node-unit validate --strict']))
    .action(async (options: { config?: string; env?: string; stateDir?: string; strict?: boolean }) =>
      run(async () => (await import('./commands/validate.js')).validateCommand(options))(),
    );

  program
    .command('config')
    .description('print the resolved config: defaults filled in, paths absolute, env merged')
    .addOption(configOption())
    .addOption(envOption())
    .addOption(stateDirOption())
    .option('--json', 'print JSON (stable, for scripts)')
    .addHelpText('after', examples(['node-unit config', 'node-unit config --env production --json']))
    .action(async (options: { config?: string; env?: string; stateDir?: string; json?: boolean }) =>
      run(async () => (await import('./commands/config.js')).configCommand(options))(),
    );

  program
    .command('up')
    .description('run the supervisor in the foreground: start every app and keep it alive; Ctrl-C stops everything')
    .addOption(configOption())
    .addOption(envOption())
    .addOption(stateDirOption())
    .option('--only <apps>', 'start only these apps (comma-separated)')
    .option('--no-tui', 'print prefixed logs instead of the TUI (the default without a terminal)')
    .addHelpText('after', examples(['node-unit up', 'node-unit up --env production --only api,worker', 'node-unit up --no-tui | tee run.log']))
    .action(async (options: { config?: string; env?: string; stateDir?: string; only?: string; tui?: boolean }) =>
      run(async () => (await import('./commands/up.js')).upCommand(options))(),
    );

  program
    .command('init')
    .description('write a commented, typed ecosystem.config.ts in the current folder')
    .option('--dir <path>', 'folder to write into (default: current folder)')
    .addHelpText('after', examples(['node-unit init']))
    .action(async (options: { dir?: string }) => run(async () => (await import('./commands/init.js')).initCommand(options))());

  registerControlCommands(program, run);
  return program;
}

const withProjectOptions = (command: Command): Command => command.addOption(configOption()).addOption(envOption()).addOption(stateDirOption());

/** Plugin commands come from the config: loaded for help and for a verb that is not built in, never for the others. */
function needsPluginCommands(program: Command, argv: readonly string[]): boolean {
  const [first] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') return true;
  if (first.startsWith('-')) return false;
  return !program.commands.some((command) => command.name() === first || command.aliases().includes(first));
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  if (needsPluginCommands(program, argv)) await (await import('./plugin-cli.js')).addPluginCommands(program, argv, withProjectOptions, (code) => (exitCode = code));
  if (argv.length === 0) {
    process.stdout.write(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`node-unit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
