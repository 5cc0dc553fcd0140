import { Option, type Command } from 'commander';

/**
 * pm2's `start` flags, shared by `up app.js` and `start worker.js` on a running supervisor. They become an
 * app written with pm2's keys, checked and resolved like any ecosystem file's app.
 */

export interface ScriptFlags {
  readonly name?: string;
  readonly instances?: string;
  readonly watch?: boolean | string;
  readonly ignoreWatch?: readonly string[];
  readonly envFile?: readonly string[];
  readonly interpreter?: string;
  readonly interpreterArgs?: string;
  readonly nodeArgs?: string;
  readonly cwd?: string;
  readonly maxMemoryRestart?: string;
  readonly autorestart?: boolean;
  readonly cron?: string;
  readonly output?: string;
  readonly error?: string;
  readonly log?: boolean | string;
  readonly time?: boolean;
  readonly mergeLogs?: boolean;
  readonly logDateFormat?: string;
  readonly maxRestarts?: string;
  readonly restartDelay?: string;
  readonly expBackoffRestartDelay?: string;
  readonly killTimeout?: string;
  readonly waitReady?: boolean;
  readonly listenTimeout?: string;
  readonly namespace?: string;
  readonly force?: boolean;
}

const collect = (value: string, previous: readonly string[] | undefined): readonly string[] => [...(previous ?? []), value];

/** The flags, as pm2 spells them (`-c` stays --config here; pm2's `-c <cron>` is --cron). */
export function addScriptOptions(command: Command): Command {
  return command
    .option('-n, --name <name>', 'app name (default: the script name without its extension)')
    .option('-i, --instances <n>', 'instances: a number, max, 0 (all CPUs) or -1 (CPUs - 1); node scripts run in cluster mode')
    .option('-w, --watch [paths]', 'restart on file changes (the cwd, or comma-separated paths)')
    .option('--ignore-watch <glob>', 'files the watcher ignores (repeatable)', collect)
    .option('--env-file <file>', 'read variables from a dotenv file (repeatable)', collect)
    .option('--interpreter <program>', 'run the script with this program (default: from its extension, as pm2 does)')
    .option('--interpreter-args <args>', 'arguments for the interpreter')
    .option('--node-args <args>', 'arguments for node')
    .option('--cwd <path>', 'the app\'s working folder')
    .option('--max-memory-restart <size>', 'restart past this memory (150M, 1G)')
    .option('--no-autorestart', 'do not restart the app when it exits')
    .option('--cron, --cron-restart <expression>', 'restart on a cron schedule')
    .option('-o, --output <file>', 'stdout log file')
    .addOption(new Option('--error <file>', 'stderr log file'))
    .option('-l, --log [file]', 'combined stdout + stderr log file')
    .option('--time', 'prefix log lines with the time')
    .option('--merge-logs', 'instances share one log file')
    .option('--log-date-format <format>', 'prefix log lines with the time in this format')
    .option('--max-restarts <n>', 'unstable restarts before the app is errored')
    .option('--restart-delay <ms>', 'wait before restarting a crashed app')
    .option('--exp-backoff-restart-delay <ms>', 'exponential backoff between restarts, from this delay')
    .option('--kill-timeout <ms>', 'grace before SIGKILL when stopping')
    .option('--wait-ready', 'online when the app sends process.send("ready")')
    .option('--listen-timeout <ms>', 'how long to wait for listen / ready')
    .option('--namespace <name>', 'group apps under a namespace')
    .option('-f, --force', "accepted for pm2's sake: node-unit never starts a second copy of an app of the same name");
}

type Entry = readonly [key: string, value: unknown];

/** Numbers typed on the command line are numbers in the app (and in a file written from it). */
function present(key: string, value: unknown): readonly Entry[] {
  if (value === undefined) return [];
  return [[key, typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value]];
}

/** One app per script, with pm2's keys; `--name` applies when there is one script. */
export function scriptApps(scripts: readonly string[], flags: ScriptFlags, args: readonly string[]): readonly Readonly<Record<string, unknown>>[] {
  const watch = typeof flags.watch === 'string' ? flags.watch.split(',').map((part) => part.trim()).filter(Boolean) : flags.watch;
  const shared: readonly Entry[] = [
    ...present('instances', flags.instances),
    ...present('watch', watch),
    ...present('ignore_watch', flags.ignoreWatch),
    ...present('env_file', flags.envFile),
    ...present('interpreter', flags.interpreter),
    ...present('interpreter_args', flags.interpreterArgs),
    ...present('node_args', flags.nodeArgs),
    ...present('cwd', flags.cwd),
    ...present('max_memory_restart', flags.maxMemoryRestart),
    ...present('autorestart', flags.autorestart === false ? false : undefined),
    ...present('cron_restart', flags.cron),
    ...present('out_file', flags.output),
    ...present('error_file', flags.error),
    ...present('log_file', flags.log),
    ...present('time', flags.time),
    ...present('merge_logs', flags.mergeLogs),
    ...present('log_date_format', flags.logDateFormat),
    ...present('max_restarts', flags.maxRestarts),
    ...present('restart_delay', flags.restartDelay),
    ...present('exp_backoff_restart_delay', flags.expBackoffRestartDelay),
    ...present('kill_timeout', flags.killTimeout),
    ...present('wait_ready', flags.waitReady),
    ...present('listen_timeout', flags.listenTimeout),
    ...present('namespace', flags.namespace),
    ...present('args', args.length > 0 ? args : undefined),
  ];
  return scripts.map((script) => Object.fromEntries([['script', script], ...present('name', scripts.length === 1 ? flags.name : undefined), ...shared]));
}
