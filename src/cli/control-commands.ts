import os from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { LogsOptions } from './commands/logs.js';
import type { ProjectOptions } from './control-target.js';
import { addScriptOptions, type ScriptFlags } from './script-app.js';

/** The verbs that talk to a running supervisor over its control socket (pm2's names). */

/** main.ts's wrapper that records a command's exit code (commander's actions cannot return one). */
export type Runner = (body: () => Promise<number>) => () => Promise<void>;

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

function projectOptions(command: Command): Command {
  return command
    .addOption(new Option('-c, --config <path>', 'ecosystem file or folder (default: found from the current folder up)'))
    .addOption(new Option('--state-dir <path>', 'state folder of the supervisor (default: .node-unit beside the config)').env('NODE_UNIT_STATE_DIR'));
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** SIGUSR2, USR2, usr2 → SIGUSR2; anything Node does not know is a usage error. */
export function parseSignal(text: string): NodeJS.Signals {
  const name = text.toUpperCase().startsWith('SIG') ? text.toUpperCase() : `SIG${text.toUpperCase()}`;
  if (!Object.hasOwn(os.constants.signals, name)) throw new InvalidArgumentError(`unknown signal "${text}" (try SIGUSR2, SIGHUP, SIGTERM)`);
  return name as NodeJS.Signals;
}

const TARGET_HELP = 'an app, app:N (one instance), a namespace, or all';
const NODE_HELP = 'on a federation master: run it on that node, the nodes with that label, or every node';

/** `--node` (and `--command-id`, which makes a retry safe: a node runs a command id once) for the verbs a master routes. */
function nodeOptions(command: Command): Command {
  return command
    .option('--node <name|id|label=value|all>', NODE_HELP)
    .option('--command-id <id>', 'with --node: the id of this command; a node that has run it answers with its recorded result instead of running it again');
}

type NodeFlags = { node?: string; commandId?: string; json?: boolean };
type RemoteCall = Parameters<typeof import('./commands/remote.js').remoteCommand>[0];

/** With --node the verb goes to the master's mesh; without, to this supervisor as before. */
function routed(options: ProjectOptions & NodeFlags, command: RemoteCall, local: () => Promise<number>): Promise<number> {
  const { node } = options;
  if (node === undefined) return local();
  return import('./commands/remote.js').then((remote) => remote.remoteCommand(command, { ...options, node }));
}

/** `start`: an app, here or on nodes; or a script, added as an app here, or sent to nodes as an app spec. */
async function startAction(target: string, options: ProjectOptions & ScriptFlags & NodeFlags, passed: readonly string[]): Promise<number> {
  const { config, stateDir, node, commandId, json, ...flags } = options;
  if (node !== undefined) {
    const remote = await import('./commands/remote-add.js');
    if (remote.isRemoteScript(target, flags, passed)) return remote.remoteAdd(target, flags, passed, { config, stateDir, node, commandId, json });
  }
  return routed(options, { verb: 'start', target }, async () => (await import('./commands/change.js')).startCommand(target, options, passed));
}

export function registerControlCommands(program: Command, run: Runner, passed: readonly string[] = []): void {
  projectOptions(program.command('ls').aliases(['list', 'status']).description('list every instance: status, pid, CPU, memory, uptime, restarts'))
    .option('--json', 'print a JSON array (stable, for scripts)')
    .option('--node <name|id|label=value|all>', "another node's instances, or every node's (on a federation master)")
    .addHelpText('after', examples(['node-unit ls', 'node-unit status --json', 'node-unit ls --node all']))
    .action(async (options: ProjectOptions & { json?: boolean; node?: string }) => run(async () => (await import('./commands/ls.js')).lsCommand(options))());

  nodeOptions(addScriptOptions(projectOptions(program.command('start <target>').description(`start ${TARGET_HELP}; or a script, added as an app (pm2's start flags; -- passes arguments)`))))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit start api', 'node-unit start worker.js -i 2 --name worker', 'node-unit start server.js -- --port 3000', 'node-unit start api --node nas', 'node-unit start server.js --node nas --cwd /srv/app -- --port 3000']))
    .action(async (target: string, options: ProjectOptions & ScriptFlags & NodeFlags) => run(() => startAction(target, options, passed))());

  nodeOptions(projectOptions(program.command('stop <target>').description(`stop ${TARGET_HELP}`)))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit stop api', 'node-unit stop api:1', 'node-unit stop all', 'node-unit stop api --node disk=big']))
    .action(async (target: string, options: ProjectOptions & NodeFlags) => run(() => routed(options, { verb: 'stop', target }, async () => (await import('./commands/actions.js')).actionCommand('stop', target, options)))());

  nodeOptions(projectOptions(program.command('restart <target>').description(`restart ${TARGET_HELP}`)))
    .addOption(new Option('--update-env', "read the app's env again (ecosystem file and env files) before restarting").conflicts('node'))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit restart api', 'node-unit restart all --update-env', 'node-unit restart all --node all']))
    .action(async (target: string, options: ProjectOptions & NodeFlags & { updateEnv?: boolean }) => run(() => routed(options, { verb: 'restart', target }, async () => (await import('./commands/change.js')).restartCommand(target, options)))());

  projectOptions(program.command('delete <target>').alias('del').description('stop an app (or a namespace, or all) and remove it from the supervisor'))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit delete worker']))
    .action(async (target: string, options: ProjectOptions & { json?: boolean }) => run(async () => (await import('./commands/change.js')).deleteCommand(target, options))());

  projectOptions(program.command('scale <app> <count>').description('set the number of instances (4) or change it (+2, -1); running instances are left alone'))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit scale api 4', 'node-unit scale api +1']))
    .action(async (app: string, count: string, options: ProjectOptions & { json?: boolean }) => run(async () => (await import('./commands/change.js')).scaleCommand(app, count, options))());

  projectOptions(program.command('reset <target>').description(`zero the restart counters of ${TARGET_HELP}`))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit reset api', 'node-unit reset all']))
    .action(async (target: string, options: ProjectOptions & { json?: boolean }) => run(async () => (await import('./commands/change.js')).resetCommand(target, options))());

  projectOptions(program.command('reload-logs').description('reopen every log file (after an external logrotate moved them); same as SIGUSR2 to the supervisor'))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit reload-logs']))
    .action(async (options: ProjectOptions & { json?: boolean }) => run(async () => (await import('./commands/change.js')).reloadLogsCommand(options))());

  nodeOptions(projectOptions(program.command('describe <target>').description('show the status and resolved settings of each instance')))
    .option('--json', 'print JSON (stable, for scripts)')
    .addHelpText('after', examples(['node-unit describe api', 'node-unit describe api:0 --json', 'node-unit describe db --node nas']))
    .action(async (target: string, options: ProjectOptions & NodeFlags) => run(() => routed(options, { verb: 'describe', target }, async () => (await import('./commands/describe.js')).describeCommand(target, options)))());

  projectOptions(program.command('logs [target]').description('print recent log lines; -f keeps following'))
    .option('--lines <n>', 'how many recent lines', positiveInt, 15)
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('--node <name|id|label=value|all>', 'on a federation master: the lines of that node, those nodes or every node, merged and named node/app')
    .addOption(new Option('--err', 'only stderr').conflicts('out'))
    .addOption(new Option('--out', 'only stdout').conflicts('err'))
    .option('--timestamps', 'prefix each line with its time')
    .option('--json', 'one JSON object per line (NDJSON)')
    .addHelpText('after', examples(['node-unit logs', 'node-unit logs api --lines 100', 'node-unit logs api:1 -f --err', 'node-unit logs -f --node all']))
    .action(async (target: string | undefined, options: LogsOptions & NodeFlags) =>
      run(async () => {
        const logs = await import('./commands/logs.js');
        const streams = logs.streamsOf(options);
        return routed(options, { verb: 'logs', target, lines: options.lines ?? 15, ...(streams ? { streams } : {}) }, () => logs.logsCommand(target, options));
      })(),
    );

  nodeOptions(projectOptions(program.command('signal').description(`send a signal to ${TARGET_HELP}`).argument('<signal>', 'SIGUSR2, USR2, HUP, …', parseSignal).argument('<target>', TARGET_HELP)))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit signal SIGUSR2 api', 'node-unit signal HUP worker:0', 'node-unit signal HUP db --node nas']))
    .action(async (signal: NodeJS.Signals, target: string, options: ProjectOptions & NodeFlags) =>
      run(() => routed(options, { verb: 'signal', target, signal }, async () => (await import('./commands/actions.js')).signalCommand(signal, target, options)))(),
    );

  nodeOptions(projectOptions(program.command('flush [target]').description('empty the log files (all apps by default)')))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit flush', 'node-unit flush api', 'node-unit flush all --node all']))
    .action(async (target: string | undefined, options: ProjectOptions & NodeFlags) => run(() => routed(options, { verb: 'flush', target: target ?? 'all' }, async () => (await import('./commands/actions.js')).flushCommand(target, options)))());

  nodeOptions(projectOptions(program.command('reload [target]').description('no target: apply the config file changes exactly; a target: rolling restart, one instance at a time')))
    .addOption(new Option('--plan', 'only print what would change, app by app and key by key').conflicts('node'))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit reload --plan', 'node-unit reload', 'node-unit reload api', 'node-unit reload api --node all']))
    .action(async (target: string | undefined, options: ProjectOptions & NodeFlags & { plan?: boolean }) => run(() => routed(options, { verb: 'reload', target }, async () => (await import('./commands/reload.js')).reloadCommand(target, options)))());

  projectOptions(program.command('attach').description('the interactive view of a running supervisor; q detaches and leaves everything running'))
    .addHelpText('after', examples(['node-unit attach']))
    .action(async (options: ProjectOptions) => run(async () => (await import('./commands/attach.js')).attachCommand(options))());

  projectOptions(program.command('down').description('stop every app gracefully, then the supervisor'))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['node-unit down']))
    .action(async (options: ProjectOptions & { json?: boolean }) => run(async () => (await import('./commands/actions.js')).downCommand(options))());
}
