import { inImage, type Placement } from './command.js';
import type { ExportApp, Untranslated } from './types.js';

/** The fixed ports of an app as variables; a port of 0 (chosen at start) has no fixed value. */
export function portVars(app: ExportApp): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [variable, port] of Object.entries(app.spec.ports)) if (port > 0) vars[variable] = String(port);
  return vars;
}

/** Everything the app sees in a container besides what is set per instance. */
export function appEnv(app: ExportApp): Record<string, string> {
  const env: Record<string, string> = { ...app.spec.env, ...portVars(app) };
  if (app.spec.instances === 1) env[app.spec.instanceVar] = '0';
  return env;
}

/** The app's variables in a container: a value naming a file of the project by its host path names it in the image. */
export function containerEnv(app: ExportApp, place: Placement): Record<string, string> {
  return Object.fromEntries(Object.entries(appEnv(app)).map(([key, value]) => [key, inImage(value, place)]));
}

export interface SplitEnv {
  /** Variables to set inline: those no env file gives with its final value. */
  readonly inline: Readonly<Record<string, string>>;
  /** Variables set inline with a value different from an env file's; a target that reads files last loses them. */
  readonly overridden: readonly string[];
}

/** For targets that read env files themselves (systemd, Nomad templates): only what the files do not already say. */
export function splitEnv(app: ExportApp, env: Readonly<Record<string, string>>): SplitEnv {
  const fromFiles: Record<string, string> = Object.assign({}, ...app.envFiles.map((file) => file.vars));
  const inline: Record<string, string> = {};
  const overridden: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (fromFiles[key] === value) continue;
    inline[key] = value;
    if (key in fromFiles) overridden.push(key);
  }
  return { inline, overridden };
}

export function overrideNotes(app: ExportApp, overridden: readonly string[], reader: string): Untranslated[] {
  return overridden.map((key) => ({
    app: app.spec.name,
    key: 'env_file',
    advice: `${key} is set both in env and in an env file; ${reader} lets the file win, node-unit lets env win: remove one of them`,
  }));
}

/** Names a target accepts: lower case letters, digits and dashes. */
export function dnsName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return (cleaned || 'app').slice(0, 63).replace(/-+$/, '');
}
