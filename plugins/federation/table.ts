import type { NodeView } from './master.js';

/** Plain-text tables: `nodes`, `audit`. */

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}

function ago(iso: string | undefined, now: number): string {
  if (!iso) return '-';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return seconds < 90 ? `${seconds}s ago` : seconds < 5400 ? `${Math.round(seconds / 60)}m ago` : `${Math.round(seconds / 3600)}h ago`;
}

export function formatNodes(nodes: readonly NodeView[], now = Date.now()): string {
  if (nodes.length === 0) return 'no nodes have joined yet; make an invite with: node-unit invite --name <name>\n';
  return table(
    ['NAME', 'ID', 'ADDRESS', 'STATE', 'SEEN', 'RTT', 'APPS', 'VERSION'],
    nodes.map((n) => [n.name, n.id.slice(0, 7), n.address ?? '-', n.state, n.state === 'online' ? 'now' : ago(n.seen, now), n.rttMs === undefined ? '-' : `${n.rttMs.toFixed(1)}ms`, n.apps === undefined ? '-' : String(n.apps), n.version ?? '-']),
  );
}
