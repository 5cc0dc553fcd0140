import { parseArgs } from 'node:util';

/**
 * The quickest way to the commands a script calls in a loop (`ls`, `start`, `stop`, `restart`): plain
 * arguments are parsed here without commander. Anything else (help, typos, unknown flags) returns
 * undefined and goes through the full CLI, which explains it properly.
 */

const VERBS: ReadonlySet<string> = new Set(['ls', 'list', 'status', 'start', 'stop', 'restart']);

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
  if (verb === undefined || !VERBS.has(verb)) return undefined;
  const parsed = parse(rest);
  if (!parsed) return undefined;
  const options = { config: parsed.config, stateDir: parsed.stateDir, json: parsed.json };
  if (verb === 'start' || verb === 'stop' || verb === 'restart') {
    const [target, ...extra] = parsed.positionals;
    if (target === undefined || extra.length > 0) return undefined;
    return (await import('./commands/actions.js')).actionCommand(verb, target, options);
  }
  if (parsed.positionals.length > 0) return undefined;
  return (await import('./commands/ls.js')).lsCommand(options);
}
