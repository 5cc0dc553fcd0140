/**
 * Notices a peer that stopped answering while its connection stays open (a stopped or hung process, a
 * silent network path). Whatever arrives from the peer counts as life; after `intervalMs` of silence a
 * ping is sent, and after `timeoutMs` of silence the peer is given up: within timeoutMs + intervalMs.
 */

export interface HeartbeatOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

export const DEFAULT_HEARTBEAT: HeartbeatOptions = { intervalMs: 5000, timeoutMs: 15_000 };

export class Heartbeat {
  private lastHeard = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly options: HeartbeatOptions,
    private readonly ping: () => void,
    private readonly dead: (silentMs: number) => void,
  ) {
    // Unreferenced: a heartbeat alone never keeps a process alive (a one-shot `ls` exits as soon as it is done).
    this.timer = setInterval(() => this.tick(), options.intervalMs).unref();
  }

  heard(): void {
    this.lastHeard = performance.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const silent = performance.now() - this.lastHeard;
    if (silent >= this.options.timeoutMs) {
      this.stop();
      this.dead(silent);
    } else if (silent >= this.options.intervalMs * 0.9) this.ping();
  }
}
