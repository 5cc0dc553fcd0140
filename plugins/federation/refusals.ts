import type { AuditLog } from './audit.js';
import { BucketMap, type BucketSpec } from './limits.js';

/**
 * Refusals before a session exists are audited per address with a rate limit: a burst, then one line per
 * period, each line counting the refusals left out since the previous one. A flood cannot fill the disk.
 */
export class RefusalAudit {
  readonly #buckets: BucketMap;
  readonly #suppressed = new Map<string, number>();

  constructor(
    readonly audit: AuditLog,
    spec: BucketSpec,
    readonly now: () => number,
  ) {
    this.#buckets = new BucketMap(spec);
  }

  refuse(group: string, action: string, detail: string, extra: { readonly peer?: string; readonly address?: string } = {}): void {
    if (!this.#buckets.take(group, this.now())) {
      this.#suppressed.set(group, (this.#suppressed.get(group) ?? 0) + 1);
      return;
    }
    const suppressed = this.#suppressed.get(group);
    this.#suppressed.delete(group);
    this.audit.write({ action, result: 'refused', detail, address: extra.address ?? group, ...(extra.peer ? { peer: extra.peer } : {}), ...(suppressed ? { suppressed } : {}) });
  }
}
