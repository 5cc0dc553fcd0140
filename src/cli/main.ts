import { Argument, Command, CommanderError, Option } from 'commander';
import { packageVersion } from './version.js';
import { registerControlCommands } from './control-commands.js';
import { addScriptOptions, type ScriptFlags } from './script-app.js';
import { PM2_WORDS, splitPassedArgs } from './verbs.js';
import { UP_EXIT_HELP } from './up-help.js';

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

/** `passed`: the words after `--`, for a script's own arguments. */
export function buildProgram(passed: readonly string[] = []): Command {
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
    .option('--json', 'print the result as JSON: ok, file, apps, instances, problems')
    .addHelpText('after', examples(['node-unit validate', 'node-unit validate --config ./deploy/ecosystem.config.js', 'node-unit validate --strict']))
    .action(async (options: { config?: string; env?: string; stateDir?: string; strict?: boolean; json?: boolean }) =>
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

  addScriptOptions(
    program
      .command('up [scripts...]')
      .description('run the supervisor in the foreground: start every app and keep it alive; Ctrl-C stops everything. With scripts, no config file is needed')
      .addOption(configOption())
      .addOption(envOption())
      .addOption(stateDirOption())
      .option('--only <apps>', 'start only these apps (comma-separated)')
      .option('--no-tui', 'print prefixed logs instead of the TUI (the default without a terminal)')
      .option('-y, --yes', 'q in the TUI stops everything without asking')
      .option('--no-auto-exit', 'without the TUI, keep running once every app has ended (by default up then exits)'),
  )
    .addHelpText('after', UP_EXIT_HELP)
    .addHelpText('after', examples(['node-unit up', 'node-unit up --env production --only api,worker', 'node-unit up --no-tui | tee run.log', 'node-unit up server.js -i 2 --name web', 'node-unit up app.js --watch --env-file .env -- --port 3000']))
    .action(async (scripts: string[], options: { config?: string; env?: string; stateDir?: string; only?: string; tui?: boolean; yes?: boolean; autoExit?: boolean } & ScriptFlags) =>
      run(async () => (await import('./commands/up.js')).upCommand(options, scripts, passed))(),
    );

  program
    .command('init')
    .description('write a commented, typed ecosystem.config.ts in the current folder; --from-running writes the apps of the running supervisor')
    .option('--dir <path>', 'folder to write into (default: current folder)')
    .option('--from-running', 'write the apps the running supervisor has (those added with start included) as ecosystem.config.js')
    .option('--json', 'print the result as JSON: ok, file')
    .addOption(stateDirOption())
    .addHelpText('after', examples(['node-unit init', 'node-unit up app.js -i 2 && node-unit init --from-running']))
    .action(async (options: { dir?: string; fromRunning?: boolean; stateDir?: string; json?: boolean }) =>
      run(async () => (options.fromRunning ? (await import('./commands/init-running.js')).initFromRunning(options) : (await import('./commands/init.js')).initCommand(options)))(),
    );

  program
    .command('export')
    .description('translate the ecosystem into Nomad, Kubernetes, Docker Compose or systemd files; lists every key that does not translate')
    .addArgument(new Argument('<target>', 'what to write').choices(['nomad', 'k8s', 'compose', 'systemd']))
    .addOption(configOption())
    .addOption(envOption())
    .addOption(stateDirOption())
    .option('--image <image>', 'container image for apps without their own `image` key (nomad, k8s, compose)')
    .option('--workdir <path>', 'where the config folder sits inside the image', '/app')
    .option('--out <dir>', 'write the files into this folder (default: print them)')
    .option('--json', 'nomad: HCL\'s JSON syntax instead of HCL')
    .addHelpText('after', examples(['node-unit export k8s --image registry.example.com/shop:1.4 --env production', 'node-unit export nomad --image shop:1.4 --json', 'node-unit export systemd --out ./units']))
    .action(async (target: 'nomad' | 'k8s' | 'compose' | 'systemd', options: { config?: string; env?: string; stateDir?: string; image?: string; workdir?: string; out?: string; json?: boolean }) =>
      run(async () => (await import('./commands/export.js')).exportCommand(target, options))(),
    );

  const startupOptions = (command: Command): Command =>
    command
      .addOption(configOption())
      .addOption(envOption())
      .addOption(stateDirOption())
      .option('--user', 'a user unit (~/.config/systemd/user); the default when not root')
      .option('--system', 'a system unit (/etc/systemd/system) that runs as you; the default for root')
      .option('--dir <path>', 'unit folder to use instead of systemd\'s (nothing is enabled then)');
  type StartupFlags = { config?: string; env?: string; stateDir?: string; user?: boolean; system?: boolean; install?: boolean; dir?: string };
  startupOptions(program.command('startup').description('print (or --install) a systemd unit that runs `node-unit up --no-tui` for this project at boot'))
    .option('--install', 'write the unit and enable it with systemctl')
    .addHelpText('after', examples(['node-unit startup', 'sudo node-unit startup --system --install', 'node-unit startup --user --install']))
    .action(async (options: StartupFlags) => run(async () => (await import('./commands/startup.js')).startupCommand(options))());
  startupOptions(program.command('unstartup').description('stop, disable and remove the unit `startup --install` wrote'))
    .action(async (options: StartupFlags) => run(async () => (await import('./commands/startup.js')).unstartupCommand(options))());

  program
    .command('completion [shell]')
    .description('print a shell completion script (bash, zsh or fish); app names come from the running supervisor')
    .option('--apps', 'print the app names of the running supervisor, one a line (what the scripts call)')
    .addOption(stateDirOption())
    .addHelpText('after', examples(['node-unit completion bash >> ~/.bashrc', 'node-unit completion zsh > ~/.zfunc/_node-unit', 'node-unit completion fish > ~/.config/fish/completions/node-unit.fish']))
    .action(async (shell: string | undefined, options: { apps?: boolean; stateDir?: string }) =>
      run(async () => (await import('./commands/completion.js')).completionCommand(shell, options, program))(),
    );

  registerControlCommands(program, run, passed);
  return program;
}

const withProjectOptions = (command: Command): Command => command.addOption(configOption()).addOption(envOption()).addOption(stateDirOption());

/** Plugin commands come from the config: loaded for help and for a verb that is not built in, never for the others. */
function needsPluginCommands(program: Command, argv: readonly string[]): boolean {
  const [first] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') return true;
  // A completion script lists the project's plugin commands too (not so for --apps, which only asks the supervisor).
  if (first === 'completion') return !argv.includes('--apps');
  if (first.startsWith('-')) return false;
  return !hasCommand(program, first);
}

const hasCommand = (program: Command, verb: string): boolean => program.commands.some((command) => command.name() === verb || command.aliases().includes(verb));

/** A pm2 verb we do not have (and no plugin command took): say what to type instead (exit 2, as for any unknown command). */
function answerPm2Word(program: Command, verb: string | undefined): number | undefined {
  const answer = verb === undefined || !Object.hasOwn(PM2_WORDS, verb) || hasCommand(program, verb) ? undefined : PM2_WORDS[verb];
  if (answer === undefined) return undefined;
  process.stderr.write(`node-unit has no '${verb}' (a pm2 command): ${answer}\n`);
  return 2;
}

export async function main(argv: readonly string[]): Promise<number> {
  const { own, passed } = splitPassedArgs(argv);
  const program = buildProgram(passed);
  if (needsPluginCommands(program, own)) await (await import('./plugin-cli.js')).addPluginCommands(program, own, withProjectOptions, (code) => (exitCode = code));
  if (argv.length === 0) {
    process.stdout.write(program.helpInformation());
    return 0;
  }
  const pm2Word = answerPm2Word(program, own[0]);
  if (pm2Word !== undefined) return pm2Word;
  try {
    await program.parseAsync([...own], { from: 'user' });
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
