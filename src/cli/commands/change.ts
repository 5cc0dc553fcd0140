import fs from 'node:fs';
import path from 'node:path';
import { looksLikeEcosystemFile } from '../../config/discover.js';
import type { ScaleChange } from '../../model/controller.js';
import { printError, withClient, type ProjectOptions } from '../control-target.js';
import { scriptApps, type ScriptFlags } from '../script-app.js';
import { actionCommand, reportAction } from './actions.js';

/** Changes to a running supervisor, with pm2's verbs: start a script, delete, scale, reset. */

type JsonOption = { readonly json?: boolean };

/** A script rather than an app: an existing file, or anything given with pm2's start flags. */
export function looksLikeScript(target: string, flags: ScriptFlags, cwd = process.cwd()): boolean {
  // --no-autorestart makes commander default autorestart to true: only false was typed.
  if (Object.entries(flags).some(([key, value]) => value !== undefined && !(key === 'autorestart' && value === true))) return true;
  try {
    return fs.statSync(path.resolve(cwd, target)).isFile();
  } catch {
    return false;
  }
}

/** `start <script | app>`: a script is added as an app of its own; an app is started. */
export function startCommand(target: string, options: ProjectOptions & JsonOption & ScriptFlags, args: readonly string[]): Promise<number> {
  const { config, stateDir, json, ...flags } = options;
  if (looksLikeEcosystemFile(target)) {
    printError(`${target} is an ecosystem file: 'node-unit up --config ${target}' runs it; with its supervisor running, 'node-unit reload' applies its changes`);
    return Promise.resolve(2);
  }
  if (!looksLikeScript(target, flags) && args.length === 0) return actionCommand('start', target, { config, stateDir, json });
  const [app] = scriptApps([target], flags, args);
  if (!app) return Promise.resolve(2);
  return withClient({ config, stateDir }, async (client) => reportAction(await client.addApp(app, process.cwd()), 'started', json));
}

export function deleteCommand(target: string, options: ProjectOptions & JsonOption): Promise<number> {
  return withClient(options, async (client) => reportAction(await client.deleteApp(target), 'deleted', options.json));
}

/** `4` sets the count; `+2` and `-1` change it, as in pm2. */
export function parseScale(text: string): ScaleChange | undefined {
  const match = /^([+-]?)(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const n = Number(match[2]);
  return match[1] === '' ? { kind: 'to', count: n } : { kind: 'by', delta: match[1] === '-' ? -n : n };
}

export function scaleCommand(app: string, count: string, options: ProjectOptions & JsonOption): Promise<number> {
  const change = parseScale(count);
  if (!change) {
    printError(`scale: expected a number of instances (4) or a change (+2, -1), got "${count}"`);
    return Promise.resolve(2);
  }
  return withClient(options, async (client) => reportAction(await client.scale(app, change), 'scaled to', options.json));
}

export function resetCommand(target: string, options: ProjectOptions & JsonOption): Promise<number> {
  return withClient(options, async (client) => reportAction(await client.reset(target), 'reset the restart counters of', options.json));
}

export function restartCommand(target: string, options: ProjectOptions & JsonOption & { readonly updateEnv?: boolean }): Promise<number> {
  if (!options.updateEnv) return actionCommand('restart', target, options);
  return withClient(options, async (client) => reportAction(await client.restart(target, { updateEnv: true }), 'restarted (env read again)', options.json));
}

/** pm2's reloadLogs: the supervisor reopens its log files (what it does on SIGUSR2, after an external logrotate). */
export function reloadLogsCommand(options: ProjectOptions & JsonOption): Promise<number> {
  return withClient(options, async (client, project) => {
    const { pid } = await client.hello();
    process.kill(pid, 'SIGUSR2');
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: true, pid })}\n`);
    else process.stdout.write(`reopened the log files of ${project} (supervisor pid ${pid})\n`);
    return 0;
  });
}
