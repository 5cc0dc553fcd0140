import fs from 'node:fs';
import type { Summary } from './stats.js';

/**
 * What every bench script hands to the aggregator (`npm run bench`) when it is given `--json FILE`:
 * one figure per measured quantity, node-unit beside pm2 and the floor measured in the same run.
 */
export interface Figure {
  /** Stable key, e.g. `ls.50` or `logs.line.rate`. */
  readonly id: string;
  /** What a reader of RESULTS.md sees, e.g. `ls round trip (50 apps)`. */
  readonly label: string;
  readonly unit: string;
  readonly nodeUnit: Summary;
  readonly pm2?: Summary;
  /** The physical limit measured in the same run (bare spawn, `node -e 0`, raw redirect…). */
  readonly floor?: Summary;
  readonly floorLabel?: string;
  /** The goal in words, e.g. `≤ 1.3× node -e 0`, and whether this run met it. */
  readonly goal?: string;
  readonly met?: boolean;
  /** Higher is better (rates) rather than lower (times, CPU, memory). */
  readonly higherIsBetter?: boolean;
}

export interface Report {
  readonly bench: string;
  readonly figures: readonly Figure[];
  readonly notes?: readonly string[];
}

/** Writes the report when `--json FILE` is among the arguments; a no-op otherwise. */
export function writeReport(argv: readonly string[], report: Report): void {
  const i = argv.indexOf('--json');
  const file = i >= 0 ? argv[i + 1] : undefined;
  if (file !== undefined) fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

export const single = (value: number): Summary => ({ median: value, min: value, max: value });
