/**
 * Command ids de-duplicated on the worker: a bounded window of recent ids per scope (an issuer's key, or a
 * session). A command seen before is never run again: its recorded result is returned, or, while it still
 * runs, it is refused as in progress. Numeric ids increase within a scope, so an id at or below one that
 * already left the window is refused too: it cannot be told from a replay.
 */

export type Admission<R> =
  | { readonly kind: 'run' }
  | { readonly kind: 'replay'; readonly result: R }
  | { readonly kind: 'refused'; readonly reason: 'in_progress' | 'expired' | 'bad_id' | 'busy'; readonly message: string };

type Entry<R> = { readonly state: 'running' } | { readonly state: 'done'; readonly result: R };

interface Scope<R> {
  readonly entries: Map<string, Entry<R>>;
  /** The highest numeric id evicted from the window. */
  evictedHigh: number;
}

export interface WindowLimits {
  /** Ids remembered per scope. */
  readonly perScope: number;
  /** Scopes remembered (the least recently used is forgotten first). */
  readonly scopes: number;
}

export const DEFAULT_WINDOW: WindowLimits = { perScope: 1024, scopes: 64 };

const ID_TEXT = /^[\x21-\x7e]{1,128}$/;

const isNumeric = (key: string): boolean => /^\d{1,16}$/.test(key);

function keyOf(id: unknown): string | undefined {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id >= 0 ? String(id) : undefined;
  return typeof id === 'string' && ID_TEXT.test(id) ? id : undefined;
}

export class CommandWindow<R> {
  readonly #scopes = new Map<string, Scope<R>>();

  constructor(readonly limits: WindowLimits = DEFAULT_WINDOW) {}

  /** Decides whether command `id` of `scope` runs now; a `run` must be followed by `complete`. */
  admit(scope: string, id: unknown): Admission<R> {
    const key = keyOf(id);
    if (key === undefined) return { kind: 'refused', reason: 'bad_id', message: `command id: expected a non-negative integer or 1–128 printable characters, got ${JSON.stringify(id)?.slice(0, 40) ?? typeof id}` };
    const entries = this.#scope(scope);
    const seen = entries.entries.get(key);
    if (seen?.state === 'done') return { kind: 'replay', result: seen.result };
    if (seen) return { kind: 'refused', reason: 'in_progress', message: `command ${key} is already running; it is not run twice` };
    if (isNumeric(key) && Number(key) <= entries.evictedHigh) return { kind: 'refused', reason: 'expired', message: `command ${key} is older than the last ${this.limits.perScope} commands; it may have run already, so it is not run` };
    if (!this.#makeRoom(entries)) return { kind: 'refused', reason: 'busy', message: `${this.limits.perScope} commands are still running; try again when one finishes` };
    entries.entries.set(key, { state: 'running' });
    return { kind: 'run' };
  }

  /** Records the result of an admitted command, returned to any replay of its id. */
  complete(scope: string, id: unknown, result: R): void {
    const key = keyOf(id);
    const entries = this.#scopes.get(scope)?.entries;
    if (key !== undefined && entries?.get(key)?.state === 'running') entries.set(key, { state: 'done', result });
  }

  /** Remembered ids in all scopes (for tests and status). */
  get size(): number {
    let total = 0;
    for (const scope of this.#scopes.values()) total += scope.entries.size;
    return total;
  }

  #scope(name: string): Scope<R> {
    const found = this.#scopes.get(name);
    if (found) {
      this.#scopes.delete(name);
      this.#scopes.set(name, found);
      return found;
    }
    const made: Scope<R> = { entries: new Map(), evictedHigh: -1 };
    this.#scopes.set(name, made);
    for (const oldest of this.#scopes.keys()) {
      if (this.#scopes.size <= this.limits.scopes) break;
      this.#scopes.delete(oldest);
    }
    return made;
  }

  /** Forgets the oldest finished command when the window is full; running ones are never forgotten. */
  #makeRoom(scope: Scope<R>): boolean {
    if (scope.entries.size < this.limits.perScope) return true;
    for (const [key, entry] of scope.entries) {
      if (entry.state === 'running') continue;
      scope.entries.delete(key);
      if (isNumeric(key)) scope.evictedHigh = Math.max(scope.evictedHigh, Number(key));
      return true;
    }
    return false;
  }
}
