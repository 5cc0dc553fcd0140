import type { AppSpec } from '../model/app.js';
import type { ExitOutcome } from './machine.js';

export const BACKOFF_FACTOR = 1.5;
export const BACKOFF_MAX_MS = 15_000;
/** A run this long resets the exponential backoff (pm2's rule). */
export const BACKOFF_RESET_MS = 30_000;

export type RestartPolicy = Pick<
  AppSpec,
  'autorestart' | 'stopExitCodes' | 'minUptimeMs' | 'maxRestarts' | 'restartDelayMs' | 'expBackoffRestartDelayMs'
>;

/** What the policy remembers between runs of one instance. */
export interface RestartMemory {
  /** Consecutive exits that came sooner than min_uptime. */
  readonly unstableRestarts: number;
  /** The current exponential backoff delay, or 0 before the first. */
  readonly backoffMs: number;
}

export const FRESH_MEMORY: RestartMemory = { unstableRestarts: 0, backoffMs: 0 };

export interface ExitFacts {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly uptimeMs: number;
  readonly now: number;
}

export interface Verdict {
  readonly outcome: ExitOutcome;
  readonly memory: RestartMemory;
}

function describeExit(facts: ExitFacts): string {
  return facts.signal ? `killed by ${facts.signal}` : `exited with code ${facts.code ?? '?'}`;
}

/** Pure: pm2's restart rules applied to one unexpected exit. */
export function decideRestart(policy: RestartPolicy, memory: RestartMemory, facts: ExitFacts): Verdict {
  if (!policy.autorestart) return { outcome: { kind: 'exited' }, memory };
  if (facts.code !== null && policy.stopExitCodes.includes(facts.code)) return { outcome: { kind: 'exited' }, memory };
  const unstable = facts.uptimeMs < policy.minUptimeMs;
  const unstableRestarts = unstable ? memory.unstableRestarts + 1 : 0;
  if (unstableRestarts > policy.maxRestarts) {
    const reason = `${describeExit(facts)}; ${unstableRestarts} exit${unstableRestarts === 1 ? '' : 's'} in a row within min_uptime ${policy.minUptimeMs}ms (max_restarts ${policy.maxRestarts})`;
    return { outcome: { kind: 'errored', reason }, memory: { ...memory, unstableRestarts } };
  }
  let delay = policy.restartDelayMs;
  let backoffMs = memory.backoffMs;
  const initial = policy.expBackoffRestartDelayMs;
  if (initial !== undefined) {
    backoffMs = backoffMs === 0 || facts.uptimeMs >= BACKOFF_RESET_MS ? initial : Math.min(BACKOFF_MAX_MS, Math.round(backoffMs * BACKOFF_FACTOR));
    delay = backoffMs;
  }
  return { outcome: { kind: 'restart', retryAt: facts.now + delay, countsAsRestart: true }, memory: { unstableRestarts, backoffMs } };
}
