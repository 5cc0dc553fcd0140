/**
 * What frames cost to draw, and so how far apart frames that only bring new log lines must be for drawing to
 * stay under `share` of a core. Ink redraws the whole screen every frame: under a flood, log frames are the
 * TUI's main cost. Keys and state changes are not spaced by this.
 */
export class FrameCost {
  private averageMs = 0;

  constructor(
    private readonly share = 0.12,
    private readonly maxWaitMs = 250,
  ) {}

  /** Ink's measured time to draw one frame. */
  record(ms: number): void {
    this.averageMs = this.averageMs === 0 ? ms : this.averageMs * 0.8 + ms * 0.2;
  }

  /** The wait before the next log-only frame: at least `minMs`. */
  logWait(minMs: number): number {
    return Math.min(this.maxWaitMs, Math.max(minMs, this.averageMs / this.share));
  }
}
