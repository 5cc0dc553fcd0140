import type { InstanceInfo } from './events.js';
import { parseInstanceId } from './ids.js';

/**
 * Targets with a node part: `api`, `api:0`, `web` (a namespace), `all`, each optionally `@node`, where node
 * is a node's name, its id, `label=value` or `all`: `api@nas`, `api:0@nas`, `all@disk=big`, `all@all`. No
 * node part means this supervisor. The CLI's `--node <name|id|label=value|all>` says the same as a suffix.
 * Matching works over InstanceInfo, so one piece of code routes local and remote targets alike, and
 * `selectNodes` is the same grammar over a mesh's node list.
 */

export type NodeSelector =
  | { readonly kind: 'here' }
  | { readonly kind: 'all' }
  | { readonly kind: 'named'; readonly name: string }
  | { readonly kind: 'labelled'; readonly key: string; readonly value: string };

export interface NodeTarget {
  /** 'all', an app, `app:index` or a namespace. */
  readonly selector: string;
  readonly node: NodeSelector;
}

export type TargetParse = { readonly ok: true; readonly target: NodeTarget } | { readonly ok: false; readonly message: string };

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A label's key, as a worker's labels are pinned. */
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const LABEL_VALUE_MAX = 256;

export const HERE: NodeSelector = { kind: 'here' };

/**
 * `all`, `label=value` (split at the first `=`, so a value may hold one) or a node's name or id; `where`
 * names the input in the error.
 */
export function parseNodeSelector(text: string, where = '--node'): NodeSelector | string {
  const trimmed = text.trim();
  if (trimmed === 'all') return { kind: 'all' };
  const equals = trimmed.indexOf('=');
  if (equals < 0) return NODE_NAME.test(trimmed) ? { kind: 'named', name: trimmed } : `${where}: expected a node name, a node id, label=value or "all", got ${JSON.stringify(trimmed)}`;
  const key = trimmed.slice(0, equals);
  const value = trimmed.slice(equals + 1);
  if (!LABEL_KEY.test(key)) return `${where}: a label's key is letters, digits, ".", "_" or "-", got ${JSON.stringify(key)} in ${JSON.stringify(trimmed)}`;
  if (value === '' || value.length > LABEL_VALUE_MAX) return `${where}: expected label=value with a value of 1–${LABEL_VALUE_MAX} characters, got ${JSON.stringify(trimmed.slice(0, 80))}`;
  return { kind: 'labelled', key, value };
}

const sameNode = (a: NodeSelector, b: NodeSelector): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Splits at the last `@` (an app named `@scope/app` keeps its `@`) and combines with --node. */
export function parseTarget(text: string, nodeOption?: string): TargetParse {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf('@');
  const selector = at > 0 ? trimmed.slice(0, at) : trimmed;
  if (selector === '') return { ok: false, message: 'empty target: expected an app, app:N, a namespace or all' };
  let node: NodeSelector = HERE;
  if (at > 0) {
    const parsed = parseNodeSelector(trimmed.slice(at + 1), `"${trimmed}"`);
    if (typeof parsed === 'string') return { ok: false, message: parsed };
    node = parsed;
  }
  if (nodeOption !== undefined) {
    const option = parseNodeSelector(nodeOption, '--node');
    if (typeof option === 'string') return { ok: false, message: option };
    if (at > 0 && !sameNode(node, option)) return { ok: false, message: `"${trimmed}" and --node ${nodeOption} name different nodes; give the node once` };
    node = option;
  }
  return { ok: true, target: { selector, node } };
}

/** This supervisor's own names and labels, so `api@<my name>`, `api@<my id>` and `api@<my label>` match local instances. */
export interface SelfNode {
  readonly name?: string;
  readonly id?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A node of the mesh as a selector sees it. */
export interface NodeRef {
  readonly name: string;
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

const hasLabel = (labels: Readonly<Record<string, string>> | undefined, key: string, value: string): boolean => labels !== undefined && Object.hasOwn(labels, key) && labels[key] === value;

/** Whether an instance on `node` (undefined: this supervisor) is one the selector names; `nodes` gives other nodes' labels. */
export function nodeMatches(selector: NodeSelector, node: string | undefined, self: SelfNode = {}, nodes: readonly NodeRef[] = []): boolean {
  switch (selector.kind) {
    case 'all':
      return true;
    case 'here':
      return node === undefined || node === self.name;
    case 'named':
      return node === undefined ? selector.name === self.name || selector.name === self.id : node === selector.name;
    case 'labelled':
      return node === undefined || node === self.name ? hasLabel(self.labels, selector.key, selector.value) : nodes.some((n) => n.name === node && hasLabel(n.labels, selector.key, selector.value));
  }
}

/** A node given by id becomes its name: instances carry node names. */
export function resolveNodeSelector(selector: NodeSelector, nodes: readonly { readonly name: string; readonly id: string }[]): NodeSelector {
  if (selector.kind !== 'named') return selector;
  const byId = nodes.find((node) => node.id === selector.name);
  return byId ? { kind: 'named', name: byId.name } : selector;
}

export interface NodeSelection<N extends NodeRef> {
  /** Whether this supervisor is among the nodes named. */
  readonly self: boolean;
  readonly nodes: readonly N[];
}

/** The nodes a selector names: all (this node too), label=value, a name or an id; none is an error that says why. */
export function selectNodes<N extends NodeRef>(selector: NodeSelector, self: SelfNode, nodes: readonly N[]): NodeSelection<N> | string {
  switch (selector.kind) {
    case 'here':
      return { self: true, nodes: [] };
    case 'all':
      return { self: true, nodes };
    case 'labelled': {
      const mine = hasLabel(self.labels, selector.key, selector.value);
      const labelled = nodes.filter((node) => hasLabel(node.labels, selector.key, selector.value));
      return mine || labelled.length > 0 ? { self: mine, nodes: labelled } : `no node has the label ${selector.key}=${selector.value}; see node-unit nodes`;
    }
    case 'named': {
      if (selector.name === self.name || selector.name === self.id) return { self: true, nodes: [] };
      const named = nodes.filter((node) => node.name === selector.name || node.id === selector.name);
      return named.length > 0 ? { self: false, nodes: named } : `no node named "${selector.name}" (nor with that id); see node-unit nodes`;
    }
  }
}

export type TargetInstance = Pick<InstanceInfo, 'id' | 'app' | 'index' | 'namespace' | 'node'>;

export type InstanceMatch<T extends TargetInstance> = { readonly ok: true; readonly instances: readonly T[] } | { readonly ok: false; readonly message: string };

function nodeLabel(node: NodeSelector): string {
  if (node.kind === 'named') return ` on node "${node.name}"`;
  return node.kind === 'labelled' ? ` on nodes labelled ${node.key}=${node.value}` : '';
}

/**
 * The instances a target names: by app name first, then `app:index`, then namespace. `suggest` may offer
 * a close name when nothing matches.
 */
export function selectInstances<T extends TargetInstance>(
  target: NodeTarget,
  instances: readonly T[],
  options: { readonly self?: SelfNode; readonly nodes?: readonly NodeRef[]; readonly suggest?: (wanted: string, names: readonly string[]) => string | undefined } = {},
): InstanceMatch<T> {
  const candidates = instances.filter((instance) => nodeMatches(target.node, instance.node, options.self, options.nodes));
  if (candidates.length === 0 && (target.node.kind === 'named' || target.node.kind === 'labelled')) return { ok: false, message: `no instances${nodeLabel(target.node)}` };
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
