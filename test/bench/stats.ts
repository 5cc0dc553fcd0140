export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { median, min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

export function formatSummary(s: Summary, unit = 'ms'): string {
  const f = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  return `${f(s.median)} ${unit} (${f(s.min)}–${f(s.max)})`;
}

export function ratio(a: Summary, b: Summary): string {
  return `${(a.median / b.median).toFixed(2)}×`;
}

/** `--name value` from argv as a number, or the fallback. */
export function numberFlag(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}
