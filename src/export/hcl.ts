/** A small HCL writer for Nomad job files, and the same tree in HCL's JSON syntax. */

/** A string written into HCL as is: Nomad fills `${...}` in at run time. */
export interface Interpolated {
  readonly interpolated: string;
}

export type HclValue = string | number | boolean | Interpolated | readonly HclValue[] | { readonly [key: string]: HclValue };

export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly attributes: readonly (readonly [string, HclValue])[];
  readonly blocks: readonly HclBlock[];
}

export const block = (type: string, labels: readonly string[], attributes: readonly (readonly [string, HclValue | undefined])[], blocks: readonly HclBlock[] = []): HclBlock => ({
  type,
  labels,
  attributes: attributes.filter((entry): entry is readonly [string, HclValue] => entry[1] !== undefined),
  blocks,
});

const isInterpolated = (value: HclValue): value is Interpolated => typeof value === 'object' && value !== null && 'interpolated' in value;

/** A literal string as an HCL template: quotes, backslashes and control characters escaped, ${ and %{ doubled. */
function quote(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
  return `"${escaped}"`;
}

const IDENTIFIER = /^[A-Za-z_][\w-]*$/;

function inline(value: HclValue): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isInterpolated(value)) return `"${value.interpolated}"`;
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: HclValue });
  return `{ ${entries.map(([key, v]) => `${IDENTIFIER.test(key) ? key : quote(key)} = ${inline(v)}`).join(', ')} }`;
}

export function renderHcl(root: HclBlock, indent = ''): string {
  const inner = `${indent}  `;
  const width = Math.max(0, ...root.attributes.map(([key]) => key.length));
  const lines = root.attributes.map(([key, value]) => `${inner}${key.padEnd(width)} = ${inline(value)}`);
  const blocks = root.blocks.map((child) => renderHcl(child, inner));
  const body = [lines.join('\n'), ...blocks].filter((part) => part !== '').join('\n\n');
  const labels = root.labels.map((label) => ` ${quote(label)}`).join('');
  return `${indent}${root.type}${labels} {\n${body}${body ? '\n' : ''}${indent}}`;
}

type Json = string | number | boolean | readonly Json[] | { [key: string]: Json };

function jsonValue(value: HclValue): Json {
  if (typeof value === 'string') return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (isInterpolated(value)) return value.interpolated;
  if (Array.isArray(value)) return value.map(jsonValue);
  return Object.fromEntries(Object.entries(value as { readonly [key: string]: HclValue }).map(([key, v]) => [key, jsonValue(v)]));
}

function blockBody(node: HclBlock): { [key: string]: Json } {
  const body: { [key: string]: Json } = {};
  for (const [key, value] of node.attributes) body[key] = jsonValue(value);
  for (const child of node.blocks) {
    let slot: { [key: string]: Json } = body;
    const path = [child.type, ...child.labels];
    for (const key of path.slice(0, -1)) slot = (slot[key] ??= {}) as { [key: string]: Json };
    const last = path[path.length - 1] as string;
    const list = (slot[last] ??= []) as Json[];
    list.push(blockBody(child));
  }
  return body;
}

/** HCL's JSON syntax, in the shape HCL parsers give back: every block body in a list. */
export function renderHclJson(root: HclBlock, comment?: string): string {
  const document = blockBody(block('', [], [], [root]));
  return `${JSON.stringify(comment === undefined ? document : { '//': comment, ...document }, null, 2)}\n`;
}
