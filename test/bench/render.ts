/** Pure writers for the aggregator: the results table (text and markdown) and the ratio chart (SVG). */
import type { Figure, Report } from './report.js';
import type { Summary } from './stats.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly load: string;
  readonly ramGiB: number;
  readonly node: string;
  readonly pm2: string;
  readonly date: string;
}

/** How one bench script ended: its report, or why there is none. */
export type Outcome =
  | { readonly kind: 'ok'; readonly bench: string; readonly seconds: number; readonly report: Report }
  | { readonly kind: 'no-figures'; readonly bench: string; readonly seconds: number }
  | { readonly kind: 'failed'; readonly bench: string; readonly seconds: number; readonly reason: string }
  | { readonly kind: 'skipped'; readonly bench: string; readonly reason: string };

export const HEADER = ['figure', 'node-unit median (min–max)', 'pm2', 'floor', 'ratio', 'goal', 'met'] as const;

const num = (n: number): string => (!Number.isFinite(n) ? '?' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
export const formatValue = (s: Summary, unit: string): string => `${num(s.median)} ${unit} (${num(s.min)}–${num(s.max)})`;

/** node-unit against the floor and against pm2, each only where the divisor is a positive number. */
export function ratioText(f: Figure): string {
  const parts: string[] = [];
  if (f.floor && f.floor.median > 0) parts.push(`${(f.nodeUnit.median / f.floor.median).toFixed(2)}× floor`);
  if (f.pm2 && f.pm2.median > 0) parts.push(`${(f.nodeUnit.median / f.pm2.median).toFixed(2)}× pm2`);
  return parts.join(', ') || '—';
}

const metText = (f: Figure): string => (f.met === undefined ? '—' : f.met ? 'yes' : '**no**');

export function row(f: Figure): string[] {
  return [
    f.label,
    formatValue(f.nodeUnit, f.unit),
    f.pm2 ? formatValue(f.pm2, f.unit) : '—',
    f.floor ? `${formatValue(f.floor, f.unit)}${f.floorLabel ? ` (${f.floorLabel})` : ''}` : '—',
    ratioText(f),
    f.goal ?? '—',
    metText(f),
  ];
}

export const figuresOf = (outcomes: readonly Outcome[]): Figure[] => outcomes.flatMap((o) => (o.kind === 'ok' ? [...o.report.figures] : []));

export function textTable(figures: readonly Figure[]): string {
  const rows = [[...HEADER], ...figures.map((f) => row(f).map((cell) => cell.replaceAll('**', '')))];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

const escapeCell = (cell: string): string => cell.replaceAll('|', '\\|');

function outcomeLine(o: Outcome): string {
  switch (o.kind) {
    case 'ok':
      return `- ${o.bench}: ${o.report.figures.length} figure(s) in ${o.seconds.toFixed(0)} s`;
    case 'no-figures':
      return `- ${o.bench}: ran in ${o.seconds.toFixed(0)} s but wrote no figures (no \`--json\` support yet): see its own output`;
    case 'failed':
      return `- ${o.bench}: **failed** after ${o.seconds.toFixed(0)} s: ${o.reason}`;
    case 'skipped':
      return `- ${o.bench}: skipped: ${o.reason}`;
  }
}

export function markdown(machine: Machine, outcomes: readonly Outcome[], options: { readonly command: string; readonly quick: boolean }): string {
  const figures = figuresOf(outcomes);
  const notes = outcomes.flatMap((o) => (o.kind === 'ok' ? [...(o.report.notes ?? [])] : []));
  return [
    '# Benchmark results',
    '',
    `Written by \`${options.command}\` on ${machine.date}${options.quick ? ' — a **quick** run (fewer repetitions, smaller sizes): a smoke test, not figures to quote' : ''}.`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB.toFixed(0)} GiB RAM, load ${machine.load}; Node ${machine.node}; pm2 ${machine.pm2}.`,
    'Each figure runs node-unit, pm2 and the floor side by side in the same run, alternating their order. The machine is shared, so wall times are noisy: compare within a row.',
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...figures.map((f) => `| ${row(f).map(escapeCell).join(' | ')} |`),
    '',
    '![node-unit and pm2 against the floor](results.svg)',
    '',
    '## Bench scripts',
    '',
    ...outcomes.map(outcomeLine),
    ...(notes.length > 0 ? ['', '## Notes', '', ...notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}

const escapeXml = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Horizontal bars on a log scale, drawn from 1× (the floor): node-unit/floor and pm2/floor per figure that has a floor. */
export function svg(figures: readonly Figure[]): string {
  const charted = figures.filter((f) => f.floor !== undefined && f.floor.median > 0);
  const ratios = charted.flatMap((f) => [f.nodeUnit.median, f.pm2?.median ?? NaN].map((v) => v / (f.floor?.median ?? 1))).filter((r) => Number.isFinite(r) && r > 0);
  const lo = Math.min(0.5, 2 ** (Math.floor(Math.log2(Math.min(1, ...ratios))) - 1)); // room for labels left of a bar under 1×
  const hi = Math.max(2, 2 ** Math.ceil(Math.log2(Math.max(1, ...ratios))));
  const [left, plot, rowHeight, top] = [330, 520, 46, 50];
  const width = left + plot + 90;
  const height = top + charted.length * rowHeight + 40;
  const x = (r: number): number => left + (Math.log(Math.max(r, lo)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) * plot;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">Each figure ÷ its floor measured in the same run (log scale; 1× = the floor; lower is better, except ↑)</text>`,
    `<rect x="${left}" y="28" width="12" height="10" fill="#2a7ab0"/><text x="${left + 16}" y="37">node-unit</text>`,
    `<rect x="${left + 90}" y="28" width="12" height="10" fill="#d9822b"/><text x="${left + 106}" y="37">pm2</text>`,
  ];
  for (let tick = lo; tick <= hi * 1.0001; tick *= 2) {
    out.push(`<line x1="${x(tick).toFixed(1)}" y1="${top - 4}" x2="${x(tick).toFixed(1)}" y2="${height - 34}" stroke="${tick === 1 ? '#333' : '#ddd'}"/>`);
    out.push(`<text x="${x(tick).toFixed(1)}" y="${height - 20}" text-anchor="middle">${Number(tick.toPrecision(3))}×</text>`);
  }
  charted.forEach((f, i) => {
    const y = top + i * rowHeight;
    const label = f.label.length > 48 ? `${f.label.slice(0, 47)}…` : f.label;
    out.push(`<text x="${left - 8}" y="${y + 22}" text-anchor="end">${escapeXml(`${label}${f.higherIsBetter ? ' ↑' : ''}`)}</text>`);
    const bars: [string, number | undefined, number][] = [['#2a7ab0', f.nodeUnit.median, 4], ['#d9822b', f.pm2?.median, 22]];
    for (const [colour, value, dy] of bars) {
      if (value === undefined) continue;
      const r = value / (f.floor?.median ?? 1);
      const [from, to] = [Math.min(x(1), x(r)), Math.max(x(1), x(r))];
      out.push(`<rect x="${from.toFixed(1)}" y="${y + dy}" width="${Math.max(1, to - from).toFixed(1)}" height="16" fill="${colour}"/>`);
      const labelAt = r >= 1 ? `x="${(to + 4).toFixed(1)}"` : `x="${(from - 4).toFixed(1)}" text-anchor="end"`;
      out.push(`<text ${labelAt} y="${y + dy + 12}">${r.toFixed(2)}×</text>`);
    }
  });
  out.push('</svg>', '');
  return out.join('\n');
}
