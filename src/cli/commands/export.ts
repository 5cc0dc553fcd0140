import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../../config/load.js';
import { exportConfig, type ExportApp, type ExportInput, type ExportTarget } from '../../export/index.js';
import type { EnvFile } from '../../export/types.js';
import { parseDotenv } from '../../util/dotenv.js';
import { printWarnings, withConfigErrors } from '../diagnostics.js';
import { stderrColors, withConsoleOnStderr } from '../output.js';
import type { ConfigOptions } from './validate.js';

export interface ExportOptions extends ConfigOptions {
  readonly out?: string;
  readonly json?: boolean;
  readonly image?: string;
  readonly workdir?: string;
}

function envFiles(files: readonly string[], configDir: string): EnvFile[] {
  return files.map((file) => {
    const full = path.resolve(configDir, file);
    const parsed = parseDotenv(fs.readFileSync(full, 'utf8'));
    return { path: full, vars: parsed.ok ? parsed.vars : {} };
  });
}

/** Each resolved app with the keys its author wrote: what does not translate is reported by key. */
export function exportApps(loaded: LoadedConfig): ExportApp[] {
  return loaded.apps.map((spec, i) => {
    const source = loaded.sources[i];
    const fields = (source?.fields ?? {}) as Readonly<Record<string, unknown>> & { readonly env_file?: readonly string[]; readonly image?: string };
    const written = new Set([...Object.keys(fields), ...Object.keys(source?.profiles ?? {}).map((profile) => `env_${profile}`)]);
    return { spec, written, image: fields.image, envFiles: envFiles(fields.env_file ?? [], loaded.configDir) };
  });
}

/** What the translators get: the loaded config, the flags, and this node for units on this host. */
export function exportInput(loaded: LoadedConfig, options: ExportOptions): ExportInput {
  return {
    project: path.basename(loaded.configDir),
    configDir: loaded.configDir,
    apps: exportApps(loaded),
    image: options.image,
    workdir: options.workdir ?? '/app',
    nodePath: process.execPath,
    json: options.json === true,
  };
}

/** `node-unit export <target>`: the ecosystem as Nomad, Kubernetes, Compose or systemd files. */
export async function exportCommand(target: ExportTarget, options: ExportOptions): Promise<number> {
  if (options.json && target !== 'nomad') {
    process.stderr.write(`${stderrColors().red('error')} --json is for nomad (HCL's JSON syntax); ${target} files have one format\n`);
    return 2;
  }
  return withConfigErrors(async () => {
    const loaded = await withConsoleOnStderr(() => loadConfig({ configPath: options.config, cwd: process.cwd(), profile: options.env, stateDir: options.stateDir }));
    printWarnings(loaded.warnings, loaded.file);
    const result = exportConfig(target, exportInput(loaded, options));
    const c = stderrColors();
    if (!result.ok) {
      process.stderr.write(`${c.red('error')} ${result.message}\n`);
      return 1;
    }
    for (const note of result.untranslated) process.stderr.write(`${c.yellow('not translated')} ${note.app}.${note.key}: ${note.advice}\n`);
    if (options.out === undefined) {
      const many = result.files.length > 1;
      process.stdout.write(result.files.map((file) => (many ? `# ==> ${file.name} <==\n${file.text}` : file.text)).join('\n'));
      return 0;
    }
    fs.mkdirSync(options.out, { recursive: true });
    for (const file of result.files) {
      const full = path.join(options.out, file.name);
      fs.writeFileSync(full, file.text);
      process.stderr.write(`wrote ${path.relative(process.cwd(), full) || full}\n`);
    }
    return 0;
  });
}
