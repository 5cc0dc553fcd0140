import type { PluginCliContext, PluginCommand } from '../../src/index.js';
import type { ChainedEntry } from './audit-chain.js';
import { readChain, type VerifyResult } from './audit-verify.js';
import { table } from './table.js';

/** `node-unit audit [--node] [--json]` lists the remote actions; `audit --verify` checks their hash chain. */

function formatEntries(entries: readonly ChainedEntry[]): string {
  if (entries.length === 0) return 'no remote actions recorded\n';
  return table(
    ['#', 'TIME', 'NODE', 'VERB', 'TARGET', 'RESULT', 'ISSUER', 'SESSION'],
    entries.map((e) => [String(e.seq), e.time, e.node, e.verb, e.target, e.detail ? `${e.result}: ${e.detail}` : e.result, e.issuer.slice(0, 7), e.sid.slice(0, 8)]),
  );
}

function report(ctx: PluginCliContext, verdict: VerifyResult): number {
  if (verdict.ok) {
    ctx.stderr(`ok ${verdict.file}: ${verdict.entries} entries, chain intact (head ${verdict.head.slice(0, 16)}…)\n`);
    return 0;
  }
  ctx.stderr(`error ${verdict.message}\n`);
  return 1;
}

function audit(ctx: PluginCliContext): number {
  const node = ctx.options.node;
  if (node === true || node === '') {
    ctx.stderr('error audit: --node needs a node name\n');
    return 2;
  }
  const { entries, verdict } = readChain(ctx.dataDir);
  if (ctx.options.verify) {
    if (ctx.options.json) ctx.stdout(`${JSON.stringify(verdict)}\n`);
    return report(ctx, verdict);
  }
  const shown = typeof node === 'string' ? entries.filter((e) => e.node === node) : entries;
  ctx.stdout(ctx.options.json ? `${JSON.stringify({ entries: shown, verify: verdict })}\n` : formatEntries(shown));
  // Entries after a bad line are not shown: they cannot be trusted.
  return verdict.ok ? 0 : report(ctx, verdict);
}

export function auditCommands(): readonly PluginCommand[] {
  return [
    {
      name: 'audit',
      description: 'list the remote actions run through the mesh (hash-chained), or check the chain with --verify',
      options: [
        { flags: '--node <name>', description: 'only the actions on this node' },
        { flags: '--verify', description: 'check the hash chain; exit 1 naming the first bad line' },
        { flags: '--json', description: 'print JSON' },
      ],
      run: (ctx) => audit(ctx),
    },
  ];
}
