import type { AppSpec } from '../model/app.js';

/**
 * The environment of one instance: parent env (filtered) < app env < per-instance variables.
 * Colours survive the pipe unless the user said otherwise.
 */
export function instanceEnv(
  app: AppSpec,
  index: number,
  parent: Readonly<Record<string, string | undefined>>,
  ports: Readonly<Record<string, number>>,
  marker?: { readonly name: string; readonly value: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  const dropped = app.filterEnv === true ? undefined : new Set(app.filterEnv === false ? [] : app.filterEnv);
  if (dropped) for (const [key, value] of Object.entries(parent)) if (value !== undefined && !dropped.has(key)) env[key] = value;
  if (app.filterEnv === true && parent.PATH !== undefined) env.PATH = parent.PATH;
  Object.assign(env, app.env);
  if (env.NO_COLOR === undefined && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
  env[app.instanceVar] = String(index);
  env.NODE_APP_INSTANCE = String(index);
  env.NODE_UNIT_APP = app.name;
  env.NODE_UNIT_INSTANCE = String(index);
  env.name = app.name;
  if (app.incrementVar !== undefined) {
    const base = Number(env[app.incrementVar] ?? 0);
    env[app.incrementVar] = String((Number.isFinite(base) ? base : 0) + index);
  }
  for (const [variable, port] of Object.entries(ports)) env[variable] = String(port);
  // Last, so neither filter_env nor the app's env can drop it: the orphan guard finds processes by it.
  if (marker) env[marker.name] = marker.value;
  return env;
}
