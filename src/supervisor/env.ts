import type { AppSpec, EnvSource } from '../model/app.js';
import { currentAppEnv } from './env-files.js';

export interface InstanceEnv {
  readonly env: Record<string, string>;
  /** Where each variable came from (`describe`). */
  readonly sources: Readonly<Record<string, EnvSource>>;
  /** Env files that could not be read at this start (their earlier values were used). */
  readonly problems: readonly string[];
}

/**
 * The environment of one instance: parent env (filtered) < app env (env files read now) < per-instance
 * variables. Colours survive the pipe unless the user said otherwise.
 */
export function instanceEnv(
  app: AppSpec,
  index: number,
  parent: Readonly<Record<string, string | undefined>>,
  ports: Readonly<Record<string, number>>,
  marker?: { readonly name: string; readonly value: string },
): InstanceEnv {
  const env: Record<string, string> = {};
  const sources: Record<string, EnvSource> = {};
  const set = (name: string, value: string, source: EnvSource): void => {
    env[name] = value;
    sources[name] = source;
  };
  const dropped = app.filterEnv === true ? undefined : new Set(app.filterEnv === false ? [] : app.filterEnv);
  if (dropped) for (const [key, value] of Object.entries(parent)) if (value !== undefined && !dropped.has(key)) set(key, value, { kind: 'inherited' });
  if (app.filterEnv === true && parent.PATH !== undefined) set('PATH', parent.PATH, { kind: 'inherited' });
  const own = currentAppEnv(app);
  for (const [name, value] of Object.entries(own.env)) set(name, value, own.sources[name] ?? { kind: 'env' });
  if (env.NO_COLOR === undefined && env.FORCE_COLOR === undefined) set('FORCE_COLOR', '1', { kind: 'node-unit' });
  set(app.instanceVar, String(index), { kind: 'instance' });
  set('NODE_APP_INSTANCE', String(index), { kind: 'instance' });
  set('NODE_UNIT_APP', app.name, { kind: 'instance' });
  set('NODE_UNIT_INSTANCE', String(index), { kind: 'instance' });
  set('name', app.name, { kind: 'instance' });
  if (app.incrementVar !== undefined) {
    const base = Number(env[app.incrementVar] ?? 0);
    set(app.incrementVar, String((Number.isFinite(base) ? base : 0) + index), { kind: 'instance' });
  }
  for (const [variable, port] of Object.entries(ports)) set(variable, String(port), { kind: 'ports' });
  // Last, so neither filter_env nor the app's env can drop it: the orphan guard finds processes by it.
  if (marker) set(marker.name, marker.value, { kind: 'node-unit' });
  return { env, sources, problems: own.problems };
}
