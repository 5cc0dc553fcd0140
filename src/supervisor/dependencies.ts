import type { Dependency } from '../model/app.js';
import type { ProcessState } from '../model/state.js';

export interface DependencyView {
  readonly app: string;
  readonly states: readonly ProcessState[];
  /** Someone asked the dependency to run (it may not have started yet). */
  readonly wanted: boolean;
}

function met(condition: Dependency['condition'], state: ProcessState): boolean {
  switch (condition) {
    case 'started':
      // Spawned: a start still queued has no process yet.
      return (state.status === 'starting' && state.pid !== undefined) || state.status === 'online';
    case 'ready':
      return state.status === 'online';
    case 'completed':
      return state.status === 'exited' && state.code === 0;
  }
}

/** Pure: why an app must wait for its dependencies, or undefined when all are met. */
export function waitingReason(dependencies: readonly Dependency[], lookup: (app: string) => DependencyView | undefined): string | undefined {
  for (const dep of dependencies) {
    const view = lookup(dep.app);
    if (!view || view.states.length === 0) return `waiting for ${dep.app} (not configured)`;
    if (view.states.every((state) => met(dep.condition, state))) continue;
    const errored = view.states.find((state) => state.status === 'errored');
    if (errored && errored.status === 'errored') return `waiting for ${dep.app}: it errored (${errored.reason})`;
    const failed = view.states.find((state) => state.status === 'exited' && dep.condition === 'completed');
    if (failed && failed.status === 'exited') return `waiting for ${dep.app} to complete: it exited with ${failed.signal ?? `code ${failed.code}`}`;
    const stopped = !view.wanted && view.states.every((state) => state.status === 'stopped');
    return `waiting for ${dep.app} to be ${dep.condition === 'completed' ? 'completed' : dep.condition}${stopped ? ' (it is stopped)' : ''}`;
  }
  return undefined;
}
