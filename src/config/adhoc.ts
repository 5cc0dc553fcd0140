import type { AppSpec } from '../model/app.js';
import { formatDiagnostic, type Diagnostic } from './errors.js';
import { resolveConfig } from './resolve.js';
import { validateConfig } from './validate.js';

export interface AdhocOptions {
  /** Relative paths (script, cwd, env files, logs) resolve from here: the folder the command was typed in. */
  readonly cwd: string;
  readonly stateDir: string;
  readonly profile?: string | undefined;
}

export type AdhocResolution =
  | { readonly ok: true; readonly apps: readonly AppSpec[]; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** `apps[0].instances` reads as `instances` when there is one app. */
function describe(diagnostics: readonly Diagnostic[], single: boolean): readonly string[] {
  return diagnostics.map((d) => formatDiagnostic(single ? { ...d, path: d.path.replace(/^apps\[0\]\.?/, '') } : d));
}

/**
 * Apps given on the command line (`up app.js`, `start worker.js -i 2`) as pm2 keys: checked and resolved
 * exactly as an ecosystem file's apps are, so the same defaults and the same messages apply.
 */
export function resolveAdhocApps(apps: readonly Readonly<Record<string, unknown>>[], options: AdhocOptions): AdhocResolution {
  const single = apps.length === 1;
  const validation = validateConfig({ apps });
  if (!validation.config) return { ok: false, message: describe(validation.diagnostics.filter((d) => d.severity === 'error'), single).join('\n') };
  const resolution = resolveConfig(validation.config, { configDir: options.cwd, stateDir: options.stateDir, profile: options.profile });
  const diagnostics = [...validation.diagnostics, ...resolution.diagnostics];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, message: describe(errors, single).join('\n') };
  return { ok: true, apps: resolution.apps.map((app) => ({ ...app, adhoc: true })), warnings: describe(diagnostics, single) };
}
