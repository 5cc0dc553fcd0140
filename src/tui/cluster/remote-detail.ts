import type { AppSpec } from '../../model/app.js';
import type { Controller } from '../../model/controller.js';

/**
 * The detail panel of a worker's row: the instance's spec, asked of that node through the master (the
 * federation's `run` with `describe`). What comes back is unknown: the fields the panel reads are checked,
 * and an answer without them is an error that says which, never a crash of the view.
 */

export type RemoteDetail = { readonly kind: 'loading' } | { readonly kind: 'ok'; readonly spec: AppSpec } | { readonly kind: 'error'; readonly message: string };

type Fields = Readonly<Record<string, unknown>>;

const fieldsOf = (value: unknown): Fields | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined);
const isText = (value: unknown): value is string => typeof value === 'string';
const isTextList = (value: unknown): boolean => Array.isArray(value) && value.every(isText);
const isFileOrNull = (value: unknown): boolean => value === null || isText(value);

/** The spec's fields the panel reads, each with its check; the first that fails is named. */
const SPEC_FIELDS: readonly (readonly [string, (value: unknown) => boolean])[] = [
  ['name', isText],
  ['script', isText],
  ['interpreter', (value) => value === undefined || isText(value)],
  ['cwd', isText],
  ['args', isTextList],
  ['interpreterArgs', isTextList],
  ['env', (value) => fieldsOf(value) !== undefined],
  ['ports', (value) => fieldsOf(value) !== undefined],
  ['dependsOn', (value) => Array.isArray(value) && value.every((dep) => isText(fieldsOf(dep)?.app) && isText(fieldsOf(dep)?.condition))],
  ['readiness', (value) => value === undefined || isText(fieldsOf(fieldsOf(value)?.check)?.kind)],
  ['logs', (value) => { const logs = fieldsOf(value); return logs !== undefined && isFileOrNull(logs.outFile) && isFileOrNull(logs.errorFile) && isFileOrNull(logs.combinedFile); }],
];

/** A spec from a worker's describe answer, or what was wrong with it. */
export function decodeRemoteSpec(raw: unknown): AppSpec | string {
  const spec = fieldsOf(raw);
  if (!spec) return 'the node sent no spec';
  const bad = SPEC_FIELDS.find(([key, check]) => !check(spec[key]));
  // The fields the panel reads are checked; the rest is only shown.
  return bad ? `the node's spec has no readable ${bad[0]}` : (spec as unknown as AppSpec);
}

/** One node's answer to `run` with `describe`, as the panel needs it. */
export function decodeDescribeOutcome(raw: unknown, node: string): RemoteDetail {
  const outcome = Array.isArray(raw) ? raw.map(fieldsOf).find((o) => o?.node === node) : undefined;
  if (!outcome) return { kind: 'error', message: `no answer from node ${node}` };
  if (outcome.status !== 'ok') return { kind: 'error', message: `${String(outcome.status)}${isText(outcome.message) ? `: ${outcome.message}` : ''}` };
  const instances = fieldsOf(outcome.value)?.instances;
  const first = Array.isArray(instances) ? fieldsOf(instances[0]) : undefined;
  if (!first) return { kind: 'error', message: `node ${node} described no instance` };
  const spec = decodeRemoteSpec(first.spec);
  return typeof spec === 'string' ? { kind: 'error', message: spec } : { kind: 'ok', spec };
}

/** Asks `node` to describe `target` through the master. */
export async function fetchRemoteDetail(controller: Controller, plugin: string, node: string, target: string): Promise<RemoteDetail> {
  if (!controller.callPlugin) return { kind: 'error', message: 'this view cannot reach the federation plugin' };
  try {
    return decodeDescribeOutcome(await controller.callPlugin(plugin, 'run', { node, command: { verb: 'describe', target } }), node);
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}
