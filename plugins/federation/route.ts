import crypto from 'node:crypto';
import { ControlError, parseNodeSelector, selectNodes as selectNodesBy, type Controller, type NodeSelection } from '../../src/index.js';
import type { ActionChain } from './audit-chain.js';
import type { NodeView, RemoteNode } from './master.js';
import { mark } from './trace.js';
import { decodeRemoteCommand, isAction, runOn, targetOf, type RemoteCommand } from './remote-command.js';

/**
 * The master's side of `<verb> --node <name|id|label=value|all>`: which nodes the selector names, the verb
 * run on each of them in parallel through its Controller (the master's own, or a worker's remote one), and
 * one outcome per node. A node that fails, refuses or cannot be reached is its own outcome and never hides
 * the others'. A command whose link drops while it runs is `unknown`: it may have run, so it is not resent.
 */

export type NodeOutcome =
  | { readonly node: string; readonly status: 'ok'; readonly value: unknown }
  /** The node ran the verb and its Controller answered with a failure (value holds that answer). */
  | { readonly node: string; readonly status: 'failed'; readonly value?: unknown; readonly message: string }
  | { readonly node: string; readonly status: 'refused' | 'unreachable' | 'unknown'; readonly message: string };

export interface RouteRequest {
  readonly node: string;
  readonly command: RemoteCommand;
  /** Given by the CLI to make a retry safe; otherwise one is drawn. The same id goes to every node. */
  readonly commandId: string;
}

export interface RouteContext {
  readonly self: { readonly name: string; readonly id: string };
  readonly local: Controller;
  readonly nodes: () => readonly NodeView[];
  readonly remotes: () => readonly RemoteNode[];
  readonly chain: ActionChain;
  readonly onAuditError: (error: unknown) => void;
  /** How long a node may take to answer before its outcome is reported unknown. */
  readonly timeoutMs: number;
}

const COMMAND_ID = /^[\x21-\x7e]{1,128}$/;

/** The RPC's params as a request, or what is wrong with them. */
export function decodeRoute(params: unknown): RouteRequest | string {
  const f = typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as Readonly<Record<string, unknown>>) : {};
  if (typeof f.node !== 'string' || f.node.trim() === '') return '--node: expected a node name, a node id, label=value or all';
  const command = decodeRemoteCommand(f.command);
  if (typeof command === 'string') return command;
  if (f.commandId !== undefined && (typeof f.commandId !== 'string' || !COMMAND_ID.test(f.commandId))) return `--command-id: expected 1–128 printable characters without spaces, got ${JSON.stringify(f.commandId)?.slice(0, 40)}`;
  return { node: f.node.trim(), command, commandId: typeof f.commandId === 'string' ? f.commandId : crypto.randomUUID() };
}

export type Selection = NodeSelection<NodeView>;

/** The nodes a `--node` selector names, by the one grammar of targets (model/target.ts). */
export function selectNodes(selector: string, self: RouteContext['self'], nodes: readonly NodeView[]): Selection | string {
  const parsed = parseNodeSelector(selector);
  return typeof parsed === 'string' ? parsed : selectNodesBy(parsed, self, nodes);
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A Controller's answer as an outcome: results that carry `ok: false` are the node's failure. */
function settled(node: string, value: unknown): NodeOutcome {
  if (typeof value === 'object' && value !== null && 'ok' in value && value.ok === false) {
    return { node, status: 'failed', value, message: 'message' in value && typeof value.message === 'string' ? value.message : 'failed' };
  }
  return { node, status: 'ok', value };
}

function withDeadline<T>(work: Promise<T>, ms: number, node: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ControlError('unresponsive', `node "${node}" did not answer within ${ms / 1000} s; the command may still be running there and is not resent (outcome unknown)`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

async function onRemote(remote: RemoteNode, request: RouteRequest, timeoutMs: number): Promise<NodeOutcome> {
  const node = remote.name;
  remote.port.nextCommand = request.commandId;
  const running = runOn(remote.client, request.command);
  // The id rides on the request the call just sent; nothing else may pick it up.
  remote.port.nextCommand = undefined;
  try {
    return settled(node, await withDeadline(running, timeoutMs, node));
  } catch (error) {
    if (error instanceof ControlError && error.code === 'refused') return { node, status: 'refused', message: error.message };
    if (error instanceof ControlError && (error.code === 'closed' || error.code === 'unresponsive')) {
      return { node, status: 'unknown', message: error.code === 'closed' ? `the link to node "${node}" dropped while ${request.command.verb} ran (${error.message}); its outcome is unknown and it was not resent` : error.message };
    }
    return { node, status: 'failed', message: `node "${node}": ${messageOf(error)}` };
  }
}

async function onSelf(context: RouteContext, command: RemoteCommand): Promise<NodeOutcome> {
  try {
    return settled(context.self.name, await runOn(context.local, command));
  } catch (error) {
    return { node: context.self.name, status: 'failed', message: messageOf(error) };
  }
}

/** The Controllers of the live nodes a selector names (this node's own first); offline ones are left out. */
export function liveControllers(context: RouteContext, selector: string): readonly { readonly node: string; readonly controller: Controller }[] {
  const selection = selectNodes(selector, context.self, context.nodes());
  if (typeof selection === 'string') throw new Error(selection);
  const remotes = context.remotes();
  return [
    ...(selection.self ? [{ node: context.self.name, controller: context.local }] : []),
    ...selection.nodes.flatMap((view) => remotes.filter((r) => r.name === view.name).map((r) => ({ node: r.name, controller: r.client }))),
  ];
}

/** Runs the request on every node it names, in parallel; one outcome per node, this node first. */
export async function route(context: RouteContext, request: RouteRequest): Promise<readonly NodeOutcome[]> {
  const selection = selectNodes(request.node, context.self, context.nodes());
  if (typeof selection === 'string') throw new Error(selection);
  const remotes = context.remotes();
  const outcomes = await Promise.all([
    ...(selection.self ? [onSelf(context, request.command)] : []),
    ...selection.nodes.map(async (view): Promise<NodeOutcome> => {
      const remote = remotes.find((r) => r.name === view.name);
      if (!remote) return { node: view.name, status: 'unreachable', message: `node "${view.name}" is ${view.state}${view.seen ? ` (last seen ${view.seen})` : ''}; nothing was sent` };
      mark('master.route', request.commandId);
      const outcome = await onRemote(remote, request, context.timeoutMs);
      mark('master.answered', request.commandId);
      if (isAction(request.command)) audit(context, remote, request, outcome);
      mark('master.audited', request.commandId);
      return outcome;
    }),
  ]);
  return outcomes;
}

function audit(context: RouteContext, remote: RemoteNode, request: RouteRequest, outcome: NodeOutcome): void {
  const detail = outcome.status === 'ok' ? `command ${request.commandId}` : `command ${request.commandId}: ${outcome.message}`;
  context.chain.record({ time: new Date().toISOString(), sid: remote.sid, issuer: context.self.id, node: remote.name, verb: request.command.verb, target: targetOf(request.command), result: outcome.status, detail }, context.onAuditError);
}
