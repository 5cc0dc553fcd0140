import type { PluginHook } from '../model/plugin.js';
import { PluginError } from './errors.js';
import { runAsPlugin } from './async-guard.js';

export type HookOutcome<T> =
  | { readonly ok: true; readonly value: T }
  /** `late` settles with the hook's own result if it ever finishes, so what it set up can still be undone. */
  | { readonly ok: false; readonly error: PluginError; readonly late: Promise<T> | undefined };

/**
 * Calls one hook of one plugin: a throw (sync or async) or a hook that outlives `timeoutMs` becomes a
 * PluginError; nothing escapes to the caller.
 */
export async function runHook<T>(plugin: string, hook: PluginHook, call: () => T | Promise<T>, timeoutMs: number, detail?: string): Promise<HookOutcome<T>> {
  let pending: Promise<T>;
  try {
    pending = Promise.resolve(runAsPlugin(plugin, call));
  } catch (cause) {
    return { ok: false, error: new PluginError(plugin, hook, { kind: 'threw', cause }, detail), late: undefined };
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const first = await Promise.race([pending.then((value) => ({ value })), timedOut]);
    if (first !== 'timeout') return { ok: true, value: first.value };
    // The hook may still reject later: that rejection is handled here, never unhandled.
    const late = pending.catch(() => undefined as T);
    return { ok: false, error: new PluginError(plugin, hook, { kind: 'timeout', timeoutMs }, detail), late };
  } catch (cause) {
    return { ok: false, error: new PluginError(plugin, hook, { kind: 'threw', cause }, detail), late: undefined };
  } finally {
    clearTimeout(timer);
  }
}
