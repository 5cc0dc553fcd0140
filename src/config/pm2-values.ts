import { formatPath, isPlainObject, type Check, type Segment } from './check.js';
import type { Diagnostic } from './errors.js';

/**
 * pm2 reads most keys as `app.key || default`, so '', false and null mean "not set" there. They mean the
 * same here on every key that would otherwise reject them; a key that takes the value (`watch: false`,
 * `log_date_format: ''`, `autorestart: false`) keeps it. Zero is not among them: `max_restarts: 0` means 0.
 */
export function unsetInPm2(value: unknown, check: Check<unknown> | undefined): boolean {
  return (value === null || value === '' || value === false) && check !== undefined && !check(value).ok;
}

/**
 * pm2 passes an env value that is an object or an array as its JSON text (a child sees only strings).
 * Returns the env with such values turned to text, and one warning for each.
 */
export function envAsPm2Does(env: unknown, at: readonly Segment[], diagnostics: Diagnostic[]): unknown {
  if (!isPlainObject(env)) return env;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'object' && value !== null) {
      out[name] = JSON.stringify(value);
      changed = true;
      diagnostics.push({ severity: 'warning', path: formatPath([...at, name]), message: 'an object or array: passed as its JSON text, as pm2 does', hint: 'write the string you mean, e.g. JSON.stringify(…)' });
    } else out[name] = value;
  }
  return changed ? out : env;
}

/** pm2's own static file server (`pm2 serve`, saved as script: 'serve' with PM2_SERVE_* variables) is part of pm2. */
export function pm2ServeProblem(fields: Readonly<Record<string, unknown>>, at: readonly Segment[]): Diagnostic | undefined {
  const env = fields.env;
  const serves = fields.script === 'serve' && isPlainObject(env) && Object.keys(env).some((name) => name.startsWith('PM2_SERVE_'));
  if (!serves) return undefined;
  return {
    severity: 'error',
    path: formatPath([...at, 'script']),
    message: "a 'pm2 serve' static file server: that server is built into pm2, node-unit has none",
    hint: "serve the folder with a program of its own, e.g. script: 'npx', args: 'serve -l 8080 ./public'",
  };
}
