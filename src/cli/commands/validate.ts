import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { ConfigError, type Diagnostic } from '../../config/errors.js';
import type { AppSpec } from '../../model/app.js';
import { resolveCommand } from '../../supervisor/command.js';
import { printWarnings, withConfigErrors } from '../diagnostics.js';
import { stdoutColors } from '../output.js';

export interface ConfigOptions {
  readonly config?: string;
  readonly env?: string;
  readonly stateDir?: string;
}

/**
 * What a start of the app would say about its script now (a file that does not exist, one that is not
 * executable, an interpreter that is missing): the same check as the start itself, ahead of time.
 */
function scriptWarnings(app: AppSpec, index: number): readonly Diagnostic[] {
  const command = resolveCommand(app, app.env.PATH ?? process.env.PATH);
  return command.ok ? [] : [{ severity: 'warning', path: `apps[${index}].script`, message: `${command.reason} (the app "${app.name}" would not start)` }];
}

/** What validate reports of a loaded config: the loader's findings and each app's script check. */
function findings(loaded: { readonly warnings: readonly Diagnostic[]; readonly apps: readonly AppSpec[] }): readonly Diagnostic[] {
  return [...loaded.warnings, ...loaded.apps.flatMap(scriptWarnings)];
}

/** --json: every finding with its severity and path, whether the file loads or not. */
async function validateJson(options: ConfigOptions & { readonly strict?: boolean }): Promise<number> {
  const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
  try {
    const loaded = await loadConfig({ configPath: options.config, cwd: process.cwd(), profile: options.env, stateDir: options.stateDir });
    const problems = findings(loaded);
    const warnings = problems.filter((w) => w.severity === 'warning');
    const ok = !(options.strict && warnings.length > 0);
    print({ ok, file: loaded.file, apps: loaded.apps.length, instances: loaded.apps.reduce((sum, app) => sum + app.instances, 0), problems });
    return ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print({ ok: false, file: error.file ?? null, problems: error.issues });
    return 1;
  }
}

export async function validateCommand(options: ConfigOptions & { readonly strict?: boolean; readonly json?: boolean }): Promise<number> {
  if (options.json) return validateJson(options);
  return withConfigErrors(async () => {
    const loaded = await loadConfig({ configPath: options.config, cwd: process.cwd(), profile: options.env, stateDir: options.stateDir });
    const all = findings(loaded);
    printWarnings(all, loaded.file);
    const warnings = all.filter((w) => w.severity === 'warning').length;
    const c = stdoutColors();
    const apps = loaded.apps.length;
    const instances = loaded.apps.reduce((sum, app) => sum + app.instances, 0);
    const counts = `${apps} app${apps === 1 ? '' : 's'}${instances !== apps ? `, ${instances} instances` : ''}`;
    const suffix = warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
    if (options.strict && warnings > 0) {
      process.stdout.write(`${c.red('not ok')}: ${counts}${suffix} (--strict) in ${path.relative(process.cwd(), loaded.file) || loaded.file}\n`);
      return 1;
    }
    process.stdout.write(`${c.green('ok')}: ${counts}${suffix} in ${path.relative(process.cwd(), loaded.file) || loaded.file}\n`);
    return 0;
  });
}
