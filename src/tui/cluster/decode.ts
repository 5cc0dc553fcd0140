import type { InstanceInfo } from '../../model/events.js';
import type { InstanceId } from '../../model/ids.js';
import { PROCESS_STATUSES, type ProcessState } from '../../model/state.js';

/**
 * The federation plugin's answers, as the view reads them. What comes over the socket is unknown: each
 * decoder keeps what it can read and names what it could not, and never throws.
 */

export type NodeState = 'online' | 'stale' | 'offline';

export interface ClusterNode {
  readonly name: string;
  readonly id: string;
  readonly state: NodeState;
  /** When the master last heard from it (ISO time). */
  readonly seen: string | undefined;
  readonly rttMs: number | undefined;
  readonly version: string | undefined;
}

/** One node's instances from `list`; ok false: the node could not be asked (offline, refused, …). */
export interface NodeList {
  readonly node: string;
  readonly ok: boolean;
  readonly instances: readonly InstanceInfo[];
}

/** One node's answer to `run`. */
export interface RunOutcome {
  readonly node: string;
  readonly status: 'ok' | 'failed' | 'refused' | 'unreachable' | 'unknown';
  readonly message: string | undefined;
}

type Fields = Readonly<Record<string, unknown>>;

const fieldsOf = (value: unknown): Fields | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const NODE_STATES: readonly NodeState[] = ['online', 'stale', 'offline'];
const OUTCOMES: readonly RunOutcome['status'][] = ['ok', 'failed', 'refused', 'unreachable', 'unknown'];

function arrayOf<T>(raw: unknown, what: string, one: (item: unknown) => T | undefined): readonly T[] | string {
  if (!Array.isArray(raw)) return `${what}: expected a list, got ${raw === null ? 'null' : typeof raw}`;
  return raw.flatMap((item: unknown) => {
    const decoded = one(item);
    return decoded === undefined ? [] : [decoded];
  });
}

export function decodeNodes(raw: unknown): readonly ClusterNode[] | string {
  return arrayOf(raw, 'nodes', (item) => {
    const f = fieldsOf(item);
    const name = text(f?.name);
    const state = NODE_STATES.find((s) => s === f?.state);
    if (!f || name === undefined || state === undefined) return undefined;
    return { name, id: text(f.id) ?? '', state, seen: text(f.seen), rttMs: num(f.rttMs), version: text(f.version) };
  });
}

function decodeState(raw: unknown): ProcessState | undefined {
  const f = fieldsOf(raw);
  const status = PROCESS_STATUSES.find((s) => s === f?.status);
  if (!f || status === undefined || num(f.restarts) === undefined) return undefined;
  // The status and the counter are checked; the other facts are only shown, and shown as absent when missing.
  return f as unknown as ProcessState;
}

export function decodeInstance(raw: unknown): InstanceInfo | undefined {
  const f = fieldsOf(raw);
  const app = text(f?.app);
  const index = num(f?.index);
  const state = decodeState(f?.state);
  if (!f || app === undefined || index === undefined || state === undefined) return undefined;
  const id: InstanceId = `${app}:${index}`;
  return { id, app, index, namespace: text(f.namespace) ?? 'default', state, cpu: num(f.cpu), memory: num(f.memory), note: text(f.note), ...(f.adhoc === true ? { adhoc: true } : {}) };
}

export function decodeLists(raw: unknown): readonly NodeList[] | string {
  return arrayOf(raw, 'list', (item) => {
    const f = fieldsOf(item);
    const node = text(f?.node);
    if (!f || node === undefined) return undefined;
    const instances = arrayOf(f.instances, 'instances', decodeInstance);
    return { node, ok: f.ok === true && typeof instances !== 'string', instances: typeof instances === 'string' ? [] : instances };
  });
}

export function decodeOutcomes(raw: unknown): readonly RunOutcome[] | string {
  return arrayOf(raw, 'run', (item) => {
    const f = fieldsOf(item);
    const node = text(f?.node);
    const status = OUTCOMES.find((s) => s === f?.status);
    if (!f || node === undefined || status === undefined) return undefined;
    return { node, status, message: text(f.message) };
  });
}
