import type { KeyChange, ReloadPlan } from '../../model/controller.js';
import { printError, printJsonOrFailure, withClient, type ProjectOptions } from '../control-target.js';
import { stdoutColors, type Palette } from '../output.js';

const value = (v: unknown): string => (v === undefined ? '(unset)' : JSON.stringify(v));

function change(c: Palette, { key, from, to }: KeyChange): string {
  return `    ${key}: ${c.red(value(from))} → ${c.green(value(to))}`;
}

/** The diff app by app and key by key: + added, - removed, ~ changed, = unchanged. */
export function formatPlan(plan: ReloadPlan, c: Palette): string {
  const lines = [
    ...plan.added.map((app) => c.green(`+ ${app} (new: will start)`)),
    ...plan.removed.map((app) => c.red(`- ${app} (removed: will stop)`)),
    ...plan.changed.flatMap(({ app, changes, action }) => [
      c.yellow(`~ ${app} (${action === 'scale' ? 'scaled: instances added or stopped, the others left running' : 'changed: will restart'})`),
      ...changes.map((one) => change(c, one)),
    ]),
    ...plan.unchanged.map((app) => c.gray(`= ${app} (unchanged: left running)`)),
  ];
  return lines.join('\n') + '\n';
}

/** `reload`: no target applies the config file's changes (or, with --plan, only shows them); a target rolls its instances. */
export function reloadCommand(target: string | undefined, options: ProjectOptions & { readonly plan?: boolean; readonly json?: boolean }): Promise<number> {
  if (target !== undefined && options.plan) {
    printError("--plan shows what a config reload would change; it takes no target (a target is a rolling restart)");
    return Promise.resolve(2);
  }
  return withClient(options, async (client) => {
    const result = await client.reload(target, { planOnly: options.plan === true });
    const settled = printJsonOrFailure(result, options.json);
    if (settled !== undefined || !result.ok) return settled ?? 1;
    const c = stdoutColors();
    if (result.kind === 'rolling') {
      process.stdout.write(`${c.green('reloaded')} ${result.instances.join(', ')} (one at a time)\n`);
      return 0;
    }
    for (const warning of result.warnings) process.stderr.write(`${c.yellow('warning')} ${warning}\n`);
    const { plan } = result;
    const nothing = plan.added.length + plan.removed.length + plan.changed.length === 0;
    process.stdout.write(formatPlan(plan, c));
    if (nothing) process.stdout.write('nothing to do: the config file matches what runs\n');
    else process.stdout.write(result.applied ? `${c.green('applied')}\n` : `plan only: run 'node-unit reload' to apply\n`);
    return 0;
  });
}
