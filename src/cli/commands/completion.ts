import type { Command } from 'commander';
import { connectControl } from '../../control/client.js';
import { locateProject, printError } from '../control-target.js';

/** Verbs whose next word is an app (or instance, namespace, all). */
const TAKES_APP = ['start', 'stop', 'restart', 'reload', 'delete', 'del', 'scale', 'reset', 'describe', 'logs', 'flush', 'signal'];

/** The running supervisor's app names; nothing at all when there is none (completion must stay quiet). */
async function appNames(stateDir: string | undefined): Promise<readonly string[]> {
  try {
    const client = await connectControl(locateProject({ stateDir }).socketPath);
    try {
      return [...new Set((await client.list()).map((info) => info.app))];
    } finally {
      await client.close();
    }
  } catch {
    return [];
  }
}

function verbsOf(program: Command): readonly string[] {
  return program.commands.flatMap((command) => [command.name(), ...command.aliases()]).filter((name) => name !== 'help').sort();
}

function bash(verbs: readonly string[]): string {
  return `# node-unit completion for bash (zsh: see 'node-unit completion zsh')
_node_unit_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${verbs.join(' ')}" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
    ${TAKES_APP.join('|')})
      COMPREPLY=( $(compgen -W "$(node-unit completion --apps 2>/dev/null) all" -- "$cur") ) ;;
    completion)
      COMPREPLY=( $(compgen -W "bash zsh fish" -- "$cur") ) ;;
    *)
      COMPREPLY=( $(compgen -f -- "$cur") ) ;;
  esac
}
complete -o default -F _node_unit_complete node-unit
`;
}

function zsh(verbs: readonly string[]): string {
  return `# node-unit completion for zsh: source this file from ~/.zshrc
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash(verbs).split('\n').slice(1).join('\n')}`;
}

function fish(verbs: readonly string[]): string {
  return `# node-unit completion for fish
complete -c node-unit -f -n '__fish_use_subcommand' -a '${verbs.join(' ')}'
complete -c node-unit -f -n '__fish_seen_subcommand_from ${TAKES_APP.join(' ')}' -a '(node-unit completion --apps 2>/dev/null) all'
complete -c node-unit -f -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'
`;
}

export async function completionCommand(shell: string | undefined, options: { readonly apps?: boolean; readonly stateDir?: string }, program: Command): Promise<number> {
  if (options.apps) {
    const names = await appNames(options.stateDir);
    if (names.length > 0) process.stdout.write(`${names.join('\n')}\n`);
    return 0;
  }
  const verbs = verbsOf(program);
  const script = shell === 'bash' ? bash(verbs) : shell === 'zsh' ? zsh(verbs) : shell === 'fish' ? fish(verbs) : undefined;
  if (script === undefined) {
    printError(`completion: expected bash, zsh or fish, got ${shell === undefined ? 'nothing' : `"${shell}"`}`);
    return 2;
  }
  process.stdout.write(script);
  return 0;
}
