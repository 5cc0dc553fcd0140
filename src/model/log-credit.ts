import type { LogRun } from './log-runs.js';

/**
 * Flow control for a log follow across a link: the subscriber grants bytes of log lines, and the side that
 * sends them (the supervisor's end of a control connection) sends while it has credit and drops the rest,
 * counted in one `[… N lines skipped` marker per instance once credit comes back. So a reader that reads
 * slowly is never sent what it will not show: the sender pays nothing to seal, send or relay dropped lines,
 * and nothing upstream of it ever waits.
 */

/** What a line weighs against credit: its text plus its fields once encoded (near enough; no pass over the text). */
export const CREDIT_LINE_OVERHEAD = 64;

export const creditWeight = (text: string): number => text.length + CREDIT_LINE_OVERHEAD;

/** What a run's lines weigh together, as they would one by one (its text holds count − 1 joining newlines); a marker weighs nothing. */
export const runWeight = (run: LogRun): number => (run.skipped === undefined ? run.text.length - (run.count - 1) + run.count * CREDIT_LINE_OVERHEAD : 0);

/** Largest credit a subscriber may hold at once, and so the most a grant can add. */
export const MAX_CREDIT_BYTES = 64 * 1024 * 1024;

type GrantListener = (bytes: number) => void;

/** The subscriber's side: `initial` bytes at subscribe, then `grant` as it shows what it was sent. */
export class LogCredit {
  readonly #listeners = new Set<GrantListener>();

  constructor(readonly initial: number) {
    if (!Number.isSafeInteger(initial) || initial < 1 || initial > MAX_CREDIT_BYTES) throw new RangeError(`log credit: initial bytes must be an integer from 1 to ${MAX_CREDIT_BYTES}, got ${initial}`);
  }

  /** The subscriber has shown (or let go of) `bytes` of what it was sent: as much more may come. */
  grant(bytes: number): void {
    if (!(bytes > 0)) return;
    const whole = Math.min(MAX_CREDIT_BYTES, Math.ceil(bytes));
    for (const listener of this.#listeners) listener(whole);
  }

  /** The transport's side: hears every grant until it lets go. */
  listen(listener: GrantListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
