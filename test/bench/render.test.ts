import test from 'ava';
import type { Figure } from './report.js';
import { markdown, ratioText, svg, textTable, type Machine, type Outcome } from './render.js';

const machine: Machine = { cpu: 'Test CPU', cores: 2, load: '0.50 0.40 0.30', ramGiB: 24, node: 'v20.20.2', pm2: '7.0.1', date: '2026-01-02T03:04:05Z' };
const cold: Figure = {
  id: 'cold.50',
  label: 'cold start: 50 apps online',
  unit: 'ms',
  nodeUnit: { median: 2200, min: 2100, max: 2500 },
  pm2: { median: 4000, min: 3900, max: 4100 },
  floor: { median: 2000, min: 1900, max: 2100 },
  floorLabel: 'bare spawn of 50',
  goal: '≤ 1.2× floor',
  met: true,
};
const rss: Figure = { id: 'idle.rss', label: 'supervisor RSS <headless> & idle', unit: 'MiB', nodeUnit: { median: 80, min: 79, max: 81 }, pm2: { median: 59, min: 58, max: 60 }, goal: '≤ 45 MiB', met: false };
const outcomes: readonly Outcome[] = [
  { kind: 'ok', bench: 'supervisor', seconds: 61, report: { bench: 'supervisor', figures: [cold, rss], notes: ['a note'] } },
  { kind: 'no-figures', bench: 'logs', seconds: 12 },
  { kind: 'failed', bench: 'scale', seconds: 3, reason: 'exit code 1: Error: boom' },
];

test('the markdown table has the header, one row per figure, and says which goals were missed', (t) => {
  const md = markdown(machine, outcomes, { command: 'npm run bench', quick: false });
  const lines = md.split('\n');
  t.true(lines.includes('| figure | node-unit median (min–max) | pm2 | floor | ratio | goal | met |'));
  t.true(lines.includes('| cold start: 50 apps online | 2200 ms (2100–2500) | 4000 ms (3900–4100) | 2000 ms (1900–2100) (bare spawn of 50) | 1.10× floor, 0.55× pm2 | ≤ 1.2× floor | yes |'));
  t.true(lines.some((line) => line.startsWith('| supervisor RSS <headless> & idle | 80.0 MiB (79.0–81.0) | 59.0 MiB') && line.endsWith('| **no** |')));
  t.true(md.includes('Test CPU, 2 cores, 24 GiB RAM, load 0.50 0.40 0.30; Node v20.20.2; pm2 7.0.1'));
  t.true(md.includes('- logs: ran in 12 s but wrote no figures'));
  t.true(md.includes('- scale: **failed** after 3 s: exit code 1: Error: boom'));
  t.true(md.includes('- a note'));
  t.false(md.includes('quick'));
});

test('a quick run says so', (t) => {
  t.true(markdown(machine, outcomes, { command: 'npm run bench -- --quick', quick: true }).includes('a **quick** run'));
});

test('ratios leave out a missing or zero divisor', (t) => {
  t.is(ratioText(cold), '1.10× floor, 0.55× pm2');
  t.is(ratioText({ ...cold, floor: { median: 0, min: 0, max: 0 }, pm2: undefined }), '—');
});

test('the text table aligns its columns and drops the markdown emphasis', (t) => {
  const lines = textTable([cold, rss]).split('\n');
  t.is(lines.length, 3);
  t.is(lines[0]?.indexOf('node-unit'), lines[1]?.indexOf('2200 ms'));
  t.false(lines[2]?.includes('**'));
});

test('the chart has two bars per figure with a floor, escapes labels, and marks 1×', (t) => {
  const chart = svg([cold, rss, { ...cold, id: 'x', label: 'a < b', pm2: undefined }]);
  t.true(chart.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  t.true(chart.trimEnd().endsWith('</svg>'));
  t.is(chart.match(/<rect x="\d+(\.\d)?" y="\d+" width="[\d.]+" height="16"/g)?.length, 3);
  t.true(chart.includes('>1.10×<') && chart.includes('>2.00×<'));
  t.true(chart.includes('a &lt; b'));
  t.false(chart.includes('supervisor RSS'));
  t.true(chart.includes('>1×<'));
});
