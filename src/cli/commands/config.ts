import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { printWarnings, withConfigErrors } from '../diagnostics.js';
import { stdoutColors, withConsoleOnStderr } from '../output.js';
import type { ConfigOptions } from './validate.js';

/** Prints the resolved config: every default filled in, every path absolute. */
export async function configCommand(options: ConfigOptions & { readonly json?: boolean }): Promise<number> {
  return withConfigErrors(async () => {
    const load = () => loadConfig({ configPath: options.config, cwd: process.cwd(), profile: options.env, stateDir: options.stateDir });
    const loaded = options.json ? await withConsoleOnStderr(load) : await load();
    if (options.json) {
      const out = { file: loaded.file, stateDir: loaded.stateDir, profile: loaded.profile ?? null, apps: loaded.apps, warnings: loaded.warnings };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    printWarnings(loaded.warnings, loaded.file);
    const c = stdoutColors();
    process.stdout.write(`${c.bold(path.relative(process.cwd(), loaded.file) || loaded.file)}${loaded.profile ? ` (--env ${loaded.profile})` : ''}\n`);
    for (const app of loaded.apps) {
      const command = [app.interpreter, ...app.interpreterArgs, app.script, ...app.args].filter((part) => part !== undefined).join(' ');
      process.stdout.write(`  ${c.cyan(app.name)}  ${command}  ${c.gray(`×${app.instances} ${app.execMode}  cwd ${app.cwd}`)}\n`);
    }
    process.stdout.write(c.gray('  (--json prints every resolved key)\n'));
    return 0;
  });
}
