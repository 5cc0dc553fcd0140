import type { InstanceInfo } from './events.js';
import { parseInstanceId } from './ids.js';

/**
 * Targets with a node part: `api`, `api:0`, `web` (a namespace), `all`, each optionally `@node`, where node
 * is a node's name, its id, or `all`: `api@nas`, `api:0@nas`, `all@all`. No node part means this
 * supervisor. The CLI's `--node <name|id|all>` says the same as a suffix. Matching works over
 * InstanceInfo, so one piece of code routes local and remote targets alike.
 */

export type NodeSelector = { readonly kind: 'here' } | { readonly kind: 'all' } | { readonly kind: 'named'; readonly name: string };

export interface NodeTarget {
  /** 'all', an app, `app:index` or a namespace. */
  readonly selector: string;
  readonly node: NodeSelector;
}

export type TargetParse = { readonly ok: true; readonly target: NodeTarget } | { readonly ok: false; readonly message: string };

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const HERE: NodeSelector = { kind: 'here' };

function parseNode(text: string, where: string): NodeSelector | string {
  if (text === 'all') return { kind: 'all' };
  if (NODE_NAME.test(text)) return { kind: 'named', name: text };
  return `${where}: expected a node name, a node id or "all", got ${JSON.stringify(text)}`;
}

function sameNode(a: NodeSelector, b: NodeSelector): boolean {
  return a.kind === b.kind && (a.kind !== 'named' || (b.kind === 'named' && a.name === b.name));
}

/** Splits at the last `@` (an app named `@scope/app` keeps its `@`) and combines with --node. */
export function parseTarget(text: string, nodeOption?: string): TargetParse {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf('@');
  const selector = at > 0 ? trimmed.slice(0, at) : trimmed;
  if (selector === '') return { ok: false, message: 'empty target: expected an app, app:N, a namespace or all' };
  let node: NodeSelector = HERE;
  if (at > 0) {
    const parsed = parseNode(trimmed.slice(at + 1), `"${trimmed}"`);
    if (typeof parsed === 'string') return { ok: false, message: parsed };
    node = parsed;
  }
  if (nodeOption !== undefined) {
    const option = parseNode(nodeOption.trim(), '--node');
    if (typeof option === 'string') return { ok: false, message: option };
    if (at > 0 && !sameNode(node, option)) return { ok: false, message: `"${trimmed}" and --node ${nodeOption} name different nodes; give the node once` };
    node = option;
  }
  return { ok: true, target: { selector, node } };
}

/** This supervisor's own names, so `api@<my name>` and `api@<my id>` match local instances. */
export interface SelfNode {
  readonly name?: string;
  readonly id?: string;
}

export function nodeMatches(selector: NodeSelector, node: string | undefined, self: SelfNode = {}): boolean {
  switch (selector.kind) {
    case 'all':
      return true;
    case 'here':
      return node === undefined || node === self.name;
    case 'named':
      return node === undefined ? selector.name === self.name || selector.name === self.id : node === selector.name;
  }
}

/** A node given by id becomes its name: instances carry node names. */
export function resolveNodeSelector(selector: NodeSelector, nodes: readonly { readonly name: string; readonly id: string }[]): NodeSelector {
  if (selector.kind !== 'named') return selector;
  const byId = nodes.find((node) => node.id === selector.name);
  return byId ? { kind: 'named', name: byId.name } : selector;
}

export type TargetInstance = Pick<InstanceInfo, 'id' | 'app' | 'index' | 'namespace' | 'node'>;

export type InstanceMatch<T extends TargetInstance> = { readonly ok: true; readonly instances: readonly T[] } | { readonly ok: false; readonly message: string };

function nodeLabel(node: NodeSelector): string {
  return node.kind === 'named' ? ` on node "${node.name}"` : '';
}

/**
 * The instances a target names: by app name first, then `app:index`, then namespace. `suggest` may offer
 * a close name when nothing matches.
 */
export function selectInstances<T extends TargetInstance>(target: NodeTarget, instances: readonly T[], options: { readonly self?: SelfNode; readonly suggest?: (wanted: string, names: readonly string[]) => string | undefined } = {}): InstanceMatch<T> {
  const candidates = instances.filter((instance) => nodeMatches(target.node, instance.node, options.self));
  if (candidates.length === 0 && target.node.kind === 'named') return { ok: false, message: `no instances on node "${target.node.name}"` };
  const wanted = target.selector.trim();
  if (wanted === 'all') return { ok: true, instances: candidates };
  const byApp = candidates.filter((i) => i.app === wanted);
  if (byApp.length > 0) return { ok: true, instances: byApp };
  const parsed = parseInstanceId(wanted);
  if (parsed) {
    const exact = candidates.filter((i) => i.app === parsed.app && i.index === parsed.index);
    if (exact.length > 0) return { ok: true, instances: exact };
    const count = new Set(candidates.filter((i) => i.app === parsed.app).map((i) => i.index)).size;
    if (count > 0) return { ok: false, message: `${parsed.app} has ${count} instance${count === 1 ? '' : 's'} (0-${count - 1})${nodeLabel(target.node)}; there is no ${wanted}` };
  }
  const byNamespace = candidates.filter((i) => i.namespace === wanted);
  if (byNamespace.length > 0) return { ok: true, instances: byNamespace };
  const suggestion = options.suggest?.(wanted, [...new Set(candidates.flatMap((i) => [i.app, i.namespace]))]);
  return { ok: false, message: `no app, instance or namespace named "${wanted}"${nodeLabel(target.node)}${suggestion ? ` — did you mean "${suggestion}"?` : ''}` };
}
