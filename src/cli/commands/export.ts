import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../../config/load.js';
import { exportConfig, type ExportApp, type ExportInput, type ExportTarget } from '../../export/index.js';
import type { EnvFile, ExportFile } from '../../export/types.js';
import type { Diagnostic } from '../../config/errors.js';
import { parseDotenv } from '../../util/dotenv.js';
import { printWarnings, withConfigErrors } from '../diagnostics.js';
import { stderrColors, withConsoleOnStderr } from '../output.js';
import { writeExport } from './export-write.js';
import { currentAccount } from './startup.js';
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
    const instances = source?.fields.instances;
    const perCpuInstances = instances === 'max' || (typeof instances === 'number' && instances <= 0);
    return { spec, written, perCpuInstances, profile: loaded.profile, image: fields.image, envFiles: envFiles(fields.env_file ?? [], loaded.configDir) };
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
    // `up` runs apps as whoever started it; a unit without User= would run them as root.
    account: process.getuid?.() === 0 ? undefined : currentAccount(),
    json: options.json === true,
  };
}

/** Flags that are wrong whatever the config says: a usage error (exit 2) before anything is read. */
function flagProblem(target: ExportTarget, options: ExportOptions): string | undefined {
  if (options.json && target !== 'nomad') return `--json is for nomad (HCL's JSON syntax); ${target} files have one format`;
  if (options.image !== undefined && options.image.trim() === '') return '--image is empty: give the image the apps run in, e.g. --image registry.example.com/shop:1.4';
  if (options.workdir !== undefined && !path.posix.isAbsolute(options.workdir)) return `--workdir ${JSON.stringify(options.workdir)}: expected an absolute path inside the image, e.g. /app`;
  return undefined;
}

/** Every profile the config has: env_<profile> of any app, or deploy.<profile>.env. */
function knownProfiles(loaded: LoadedConfig): string[] {
  const fromApps = loaded.sources.flatMap((source) => Object.keys(source.profiles));
  const fromDeploy = loaded.apps.flatMap((spec) => Object.values(spec.envSources).flatMap((source) => (source.kind === 'deploy' ? [source.profile] : [])));
  return [...new Set([...fromApps, ...fromDeploy])];
}

/** `up` warns and runs on for an unknown --env, as pm2 does; an export would bake the wrong environment into its files. */
function profileProblem(loaded: LoadedConfig, profile: string | undefined): string | undefined {
  if (profile === undefined) return undefined;
  const known = knownProfiles(loaded);
  if (known.includes(profile)) return undefined;
  const have = known.length > 0 ? `the profiles it has: ${known.join(', ')}` : 'it has no env_<profile> block';
  return `--env ${profile}: no app in ${path.relative(process.cwd(), loaded.file) || loaded.file} has env_${profile} (${have})`;
}

/** Placement is what an export translates (or lists as not translated): "the app runs here" is about `up`. */
const isRunHereWarning = (warning: Diagnostic): boolean => /^apps\[\d+\]\.node$/.test(warning.path) && warning.message.startsWith('placement on other nodes is not supported');

function writeOut(out: string, files: readonly ExportFile[]): number {
  const written = writeExport(out, files);
  if (!written.ok) {
    process.stderr.write(`${stderrColors().red('error')} ${written.message}\n`);
    return 1;
  }
  for (const full of written.written) process.stderr.write(`wrote ${path.isAbsolute(out) ? full : path.relative(process.cwd(), full)}\n`);
  return 0;
}

/** `node-unit export <target>`: the ecosystem as Nomad, Kubernetes, Compose or systemd files. */
export async function exportCommand(target: ExportTarget, options: ExportOptions): Promise<number> {
  const c = stderrColors();
  const usage = flagProblem(target, options);
  if (usage !== undefined) {
    process.stderr.write(`${c.red('error')} ${usage}\n`);
    return 2;
  }
  return withConfigErrors(async () => {
    const loaded = await withConsoleOnStderr(() => loadConfig({ configPath: options.config, cwd: process.cwd(), profile: options.env, stateDir: options.stateDir }));
    const profile = profileProblem(loaded, options.env);
    if (profile !== undefined) {
      process.stderr.write(`${c.red('error')} ${profile}\n`);
      return 1;
    }
    printWarnings(loaded.warnings.filter((warning) => !isRunHereWarning(warning)), loaded.file);
    const result = exportConfig(target, exportInput(loaded, options));
    if (!result.ok) {
      process.stderr.write(`${c.red('error')} ${result.message}\n`);
      return 1;
    }
    for (const note of result.untranslated) process.stderr.write(`${c.yellow('not translated')} ${note.app}.${note.key}: ${note.advice}\n`);
    if (options.out !== undefined) return writeOut(options.out, result.files);
    const many = result.files.length > 1;
    process.stdout.write(result.files.map((file) => (many ? `# ==> ${file.name} <==\n${file.text}` : file.text)).join('\n'));
    return 0;
  });
}
