import type { Controller } from '../../src/index.js';
import type { ActionChain } from './audit-chain.js';
import { CommandWindow } from './dedupe.js';
import { authorizeVerb, type PolicyRefusal, type TrustPolicy } from './policy.js';
import { decodeRemoteCommand, targetOf, type RemoteCommand } from './remote-command.js';

/**
 * The worker's side of a remote command: decode, de-duplicate by id, check the worker's policy, run it on
 * the worker's own Controller (the same calls as a local command), and append the outcome to the chained
 * audit log. A replayed id returns the recorded outcome and runs nothing.
 */

export type RemoteOutcome =
  | { readonly ok: true; readonly value: unknown }
  | PolicyRefusal
  | { readonly ok: false; readonly code: 'bad_request' | 'duplicate' | 'failed'; readonly node: string; readonly message: string };

export interface RemoteRequest {
  /** Unique per issuer (numbers increase); see dedupe.ts. */
  readonly id: unknown;
  readonly sid: string;
  /** Fingerprint of the master's key. */
  readonly issuer: string;
  readonly command: unknown;
}

export interface ExecutorParams {
  readonly node: string;
  readonly policy: TrustPolicy;
  readonly controller: Controller;
  readonly chain: ActionChain;
  readonly window?: CommandWindow<RemoteOutcome>;
  readonly now?: () => Date;
  /** An append that failed (a FederationFileError naming the file); the outcome still goes back to the master. */
  readonly onAuditError: (error: unknown) => void;
}

/** The Controller's own result (the instance list for ls), and its message when it failed. */
async function call(controller: Controller, command: RemoteCommand): Promise<{ readonly ok: boolean; readonly value: unknown; readonly message?: string }> {
  if (command.verb === 'ls') return { ok: true, value: await controller.list() };
  const result = await (() => {
    switch (command.verb) {
      case 'describe':
        return controller.describe(command.target);
      case 'start':
        return controller.start(command.target);
      case 'stop':
        return controller.stop(command.target);
      case 'restart':
        return controller.restart(command.target);
      case 'flush':
        return controller.flush(command.target);
      case 'reload':
        return controller.reload(command.target, { planOnly: false });
      case 'signal':
        return controller.signal(command.signal, command.target);
      case 'logs':
        return controller.logs(command.target, { lines: command.lines });
    }
  })();
  return result.ok ? { ok: true, value: result } : { ok: false, value: result, message: 'message' in result ? result.message : 'failed' };
}

export class RemoteExecutor {
  readonly #p: ExecutorParams;
  readonly #window: CommandWindow<RemoteOutcome>;

  constructor(params: ExecutorParams) {
    this.#p = params;
    this.#window = params.window ?? new CommandWindow<RemoteOutcome>();
  }

  async run(request: RemoteRequest): Promise<RemoteOutcome> {
    const { node } = this.#p;
    const command = decodeRemoteCommand(request.command);
    const verb = typeof command === 'string' ? 'invalid' : command.verb;
    const target = typeof command === 'string' ? '-' : targetOf(command);
    const admission = this.#window.admit(request.issuer, request.id);
    if (admission.kind === 'replay') {
      this.#audit(request, verb, target, 'replayed', `command id ${String(request.id)} seen before; not run again`);
      return admission.result;
    }
    if (admission.kind === 'refused') {
      this.#audit(request, verb, target, 'refused', admission.message);
      return { ok: false, code: admission.reason === 'bad_id' ? 'bad_request' : 'duplicate', node, message: `node "${node}": ${admission.message}` };
    }
    const outcome = await this.#decide(command);
    this.#window.complete(request.issuer, request.id, outcome);
    this.#audit(request, verb, target, outcome.ok ? 'ok' : outcome.code === 'refused_by_policy' ? 'refused' : 'failed', outcome.ok ? undefined : outcome.message);
    return outcome;
  }

  async #decide(command: RemoteCommand | string): Promise<RemoteOutcome> {
    const { node, policy, controller } = this.#p;
    if (typeof command === 'string') return { ok: false, code: 'bad_request', node, message: `node "${node}": ${command}` };
    const allowed = authorizeVerb(policy, node, command.verb, command.verb === 'ls' ? undefined : command.target);
    if (!allowed.ok) return allowed;
    try {
      const result = await call(controller, command);
      return result.ok ? { ok: true, value: result.value } : { ok: false, code: 'failed', node, message: `node "${node}": ${result.message ?? 'failed'}` };
    } catch (error) {
      return { ok: false, code: 'failed', node, message: `node "${node}": ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  #audit(request: RemoteRequest, verb: string, target: string, result: string, detail: string | undefined): void {
    try {
      this.#p.chain.append({ time: (this.#p.now?.() ?? new Date()).toISOString(), sid: request.sid, issuer: request.issuer, node: this.#p.node, verb, target, result, ...(detail === undefined ? {} : { detail }) });
    } catch (error) {
      this.#p.onAuditError(error);
    }
  }
}
