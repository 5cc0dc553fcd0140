import path from 'node:path';
import { printError } from '../control-target.js';
import type { ScriptFlags } from '../script-app.js';
import { runOnNodes, type NodeOptions } from './remote.js';

/**
 * `start <script> --node <node>`: the script becomes an app spec the node checks against its own trust
 * policy (plugins/federation remote-spec.ts) and runs from its own folders. The spec holds what a node
 * agrees to run and nothing more: a script, its arguments, a name, a folder and an interpreter. pm2's
 * other start flags would each change what runs, so they are refused here, before anything is sent.
 */

const SENT_FLAGS: ReadonlySet<string> = new Set(['name', 'cwd', 'interpreter']);
/** A path, or a file name with an extension a script has: an app's name has neither. */
const SCRIPT_SHAPE = /[/\\]|\.(?:[cm]?[jt]sx?|sh|py|rb)$/i;

const kebab = (key: string): string => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** Flags given on the command line (commander defaults --no-autorestart's autorestart to true). */
function givenFlags(flags: ScriptFlags): readonly string[] {
  return Object.entries(flags)
    .filter(([key, value]) => value !== undefined && !(key === 'autorestart' && value === true))
    .map(([key]) => key);
}

/** Whether `start <target> --node` names a script to send rather than an app the node has. */
export function isRemoteScript(target: string, flags: ScriptFlags, args: readonly string[]): boolean {
  return args.length > 0 || givenFlags(flags).length > 0 || SCRIPT_SHAPE.test(target);
}

/** The app spec for the node, or what cannot be sent. */
export function remoteSpec(script: string, flags: ScriptFlags, args: readonly string[]): Readonly<Record<string, unknown>> | string {
  const unsent = givenFlags(flags).filter((key) => !SENT_FLAGS.has(key));
  if (unsent.length > 0) return `start --node: ${unsent.map((key) => `--${kebab(key)}`).join(', ')} cannot be sent to another node; an app spec holds a script, its arguments (after --), --name, --cwd and --interpreter`;
  const name = flags.name ?? path.basename(script).replace(/\.[^.]+$/, '');
  return { name, script, ...(args.length > 0 ? { args } : {}), ...(flags.cwd === undefined ? {} : { cwd: flags.cwd }), ...(flags.interpreter === undefined ? {} : { interpreter: flags.interpreter }) };
}

/** Sends the spec to the nodes the selector names; each prints started or why it refused. */
export function remoteAdd(script: string, flags: ScriptFlags, args: readonly string[], options: NodeOptions): Promise<number> {
  const app = remoteSpec(script, flags, args);
  if (typeof app === 'string') {
    printError(app);
    return Promise.resolve(2);
  }
  const params = { node: options.node, command: { verb: 'add', app }, ...(options.commandId ? { commandId: options.commandId } : {}) };
  return runOnNodes(params, { verb: 'start', target: String(app.name) }, options);
}
