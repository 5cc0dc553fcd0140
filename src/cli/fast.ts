import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FAST_VERBS } from './verbs.js';

/**
 * The quickest way to the commands a script calls in a loop (`ls`, `start`, `stop`, `restart`): plain
 * arguments are parsed here without commander. Anything else (help, typos, unknown flags) returns
 * undefined and goes through the full CLI, which explains it properly.
 */

export { FAST_VERBS } from './verbs.js';

function parse(args: readonly string[]): { readonly positionals: readonly string[]; readonly config?: string; readonly stateDir?: string; readonly json?: boolean } | undefined {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { config: { type: 'string', short: 'c' }, 'state-dir': { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, config: values.config, stateDir: values['state-dir'], json: values.json };
  } catch {
    return undefined;
  }
}

export async function runFast(argv: readonly string[]): Promise<number | undefined> {
  const [verb, ...rest] = argv;
  if (verb === undefined || !FAST_VERBS.has(verb)) return undefined;
  const parsed = parse(rest);
  if (!parsed) return undefined;
  const options = { config: parsed.config, stateDir: parsed.stateDir, json: parsed.json };
  if (verb === 'start' || verb === 'stop' || verb === 'restart') {
    const [target, ...extra] = parsed.positionals;
    if (target === undefined || extra.length > 0) return undefined;
    // `start worker.js` adds a script as an app: the full CLI knows pm2's start flags.
    if (verb === 'start' && isFile(target)) return undefined;
    return (await import('./commands/actions.js')).actionCommand(verb, target, options);
  }
  if (parsed.positionals.length > 0) return undefined;
  return (await import('./commands/ls.js')).lsCommand(options);
}

function isFile(target: string): boolean {
  return fs.statSync(path.resolve(target), { throwIfNoEntry: false })?.isFile() === true;
}
