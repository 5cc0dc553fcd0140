/** pm2 checks memory limits every 30 s; an unwatched supervisor samples no more often than that. */
export const IDLE_METRICS_INTERVAL_MS = 30_000;

/**
 * When to sample CPU and memory: at every tick while a viewer wants metrics or an app has a
 * max_memory_restart to check, otherwise rarely, so a supervisor nobody looks at costs next to nothing.
 */
export class MetricsCadence {
  private viewers = 0;
  private lastSampleAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly idleIntervalMs = IDLE_METRICS_INTERVAL_MS) {}

  /** Counts a viewer until the returned function is called (once is enough; more calls do nothing). */
  watch(): () => void {
    this.viewers++;
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      this.viewers--;
    };
  }

  /** Whether this tick samples; a yes is remembered as the last sample. */
  due(now: number, memoryLimits: boolean): boolean {
    if (this.viewers === 0 && !memoryLimits && now - this.lastSampleAt < this.idleIntervalMs) return false;
    this.lastSampleAt = now;
    return true;
  }
}
