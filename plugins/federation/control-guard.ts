import type { MessagePort, PortHandler } from '../../src/index.js';
import type { ActionChain } from './audit-chain.js';
import { CommandWindow } from './dedupe.js';
import { fileSystemResolver, type PathResolver } from './patterns.js';
import { authorizeVerb, refusal, REMOTE_VERBS, type PolicyRefusal, type RemoteVerb, type TrustPolicy } from './policy.js';
import { authorizeSpec, type ResolvedSpec } from './remote-spec.js';
import { mark } from './trace.js';

/**
 * The worker's gate in front of the control protocol its master drives: every request is read far enough to
 * know its verb and target, checked against the worker's policy, and, when it changes something, admitted
 * by its command id (a replayed id runs nothing and gets the recorded reply) and appended to the chained
 * audit log with its outcome. An app spec the master sends (`add`) is refused unless the policy trusts it
 * (remote-spec.ts), and runs as the resolved spec, real paths in place of the strings received. What passes
 * reaches the same Connection, and so the same Controller calls, as a local client's request. The control
 * layer still decodes every message in full.
 */

export interface GuardParams {
  readonly node: string;
  readonly policy: TrustPolicy;
  readonly chain: ActionChain;
  readonly window: CommandWindow<StoredReply>;
  readonly sid: string;
  /** Fingerprint of the master's key: the scope of command ids. */
  readonly issuer: string;
  /** The command id the master gave the request being delivered, if any. */
  readonly commandOf: () => string | undefined;
  readonly now?: () => Date;
  /** The worker's config folder: a remote spec's relative cwd is resolved from it. */
  readonly baseDir: string;
  /** How a spec's paths are resolved (the file system and PATH unless a test says otherwise). */
  readonly resolver?: PathResolver;
  /** An append that failed (a FederationFileError naming the file); the reply still goes back. */
  readonly onAuditError: (error: unknown) => void;
}

/** A reply as recorded for a replay: everything but its id. */
export type StoredReply = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: unknown };

interface Asked {
  /** The request as parsed here: the control layer reads it from this, not from the text again. */
  readonly parsed: Fields;
  readonly id: number;
  readonly type: string;
  readonly target: string | undefined;
  readonly planOnly: boolean;
  readonly logs: string | undefined;
  readonly app: unknown;
}

/** The verbs the guard admits: the policy's, and starting an app spec. */
type GuardedVerb = RemoteVerb | 'add';

interface Running {
  readonly key: string;
  readonly verb: GuardedVerb;
  readonly target: string;
}

/** Needs nothing: greeting, liveness, ending a subscription or granting it credit (only ever its own). */
const FREE: ReadonlySet<string> = new Set(['hello', 'ping', 'unsubscribe', 'grant']);
const ACTIONS: ReadonlySet<RemoteVerb> = new Set(['start', 'stop', 'restart', 'reload', 'signal', 'flush']);

type Fields = Readonly<Record<string, unknown>>;
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

function read(data: unknown): Asked | undefined {
  let value: unknown = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (!isFields(value) || typeof value.type !== 'string' || typeof value.id !== 'number') return undefined;
  return { parsed: value, id: value.id, type: value.type, target: typeof value.target === 'string' ? value.target : undefined, planOnly: value.planOnly === true, logs: typeof value.logs === 'string' ? value.logs : undefined, app: value.app };
}

/** The verb of the policy a request uses; undefined for a request no master may make (shutdown, add, plugin…). */
function verbOf(asked: Asked): RemoteVerb | undefined {
  if (asked.type === 'list') return 'ls';
  if (asked.type === 'subscribe') return asked.logs === 'none' ? 'ls' : 'logs';
  return REMOTE_VERBS.find((verb) => verb === asked.type);
}

const specName = (app: unknown): string => (isFields(app) && typeof app.name === 'string' ? app.name.slice(0, 128) : 'app');

/** The app config a resolved spec starts as: only what was checked, paths as resolved. */
const appOf = (spec: ResolvedSpec): Fields => ({ name: spec.name, script: spec.script, args: spec.args, cwd: spec.cwd, env: spec.env, ...(spec.interpreter === undefined ? {} : { interpreter: spec.interpreter }) });

const isAction = (verb: RemoteVerb, asked: Asked): boolean => ACTIONS.has(verb) && !(verb === 'reload' && asked.planOnly);

export class GuardedPort implements MessagePort {
  readonly #inner: MessagePort;
  readonly #p: GuardParams;
  readonly #running = new Map<number, Running>();

  constructor(inner: MessagePort, params: GuardParams) {
    this.#inner = inner;
    this.#p = params;
  }

  get keepsSlowReaders(): boolean {
    return this.#inner.keepsSlowReaders === true;
  }

  attach(handler: PortHandler): void {
    this.#inner.attach({ ...handler, message: (data) => this.#inspect(data, handler) });
  }

  send(message: object): boolean {
    this.#observe(message);
    return this.#inner.send(message);
  }

  bufferedBytes(): number {
    return this.#inner.bufferedBytes();
  }

  pause(): void {
    this.#inner.pause();
  }

  resume(): void {
    this.#inner.resume();
  }

  end(): void {
    this.#inner.end();
  }

  destroy(reason?: string): void {
    this.#inner.destroy(reason);
  }

  get writable(): boolean {
    return this.#inner.writable;
  }

  get closed(): boolean {
    return this.#inner.closed;
  }

  #inspect(data: unknown, handler: PortHandler): void {
    const asked = read(data);
    // What cannot be read is the control layer's to answer (with the error naming what was wrong).
    if (!asked) return handler.message(data);
    if (FREE.has(asked.type)) return handler.message(asked.parsed);
    if (asked.type === 'add') return this.#add(asked, handler);
    const verb = verbOf(asked);
    const decision = verb === undefined ? refusal(this.#p.node, 'remote.verbs', `${asked.type}: the master may use only ${REMOTE_VERBS.join(', ')}`) : authorizeVerb(this.#p.policy, this.#p.node, verb, asked.target, asked.planOnly);
    if (!decision.ok) return this.#refuse(asked, verb ?? asked.type, decision);
    if (verb === undefined || !isAction(verb, asked)) return handler.message(asked.parsed);
    this.#admit(asked, verb, asked.parsed, handler);
  }

  /** A spec from the master: refused with the node and the rule, or admitted as the resolved spec. */
  #add(asked: Asked, handler: PortHandler): void {
    const decision = authorizeSpec(this.#p.policy, asked.app, { node: this.#p.node, baseDir: this.#p.baseDir, resolver: this.#p.resolver ?? fileSystemResolver() });
    if (!decision.ok) return this.#refuse({ ...asked, target: specName(asked.app) }, 'add', decision);
    const { spec } = decision;
    this.#admit({ ...asked, target: spec.name }, 'add', JSON.stringify({ v: 1, id: asked.id, type: 'add', app: appOf(spec), cwd: spec.cwd }), handler);
  }

  #admit(asked: Asked, verb: GuardedVerb, data: unknown, handler: PortHandler): void {
    const target = asked.target ?? 'all';
    const key = this.#p.commandOf() ?? `${this.#p.sid}:${asked.id}`;
    const admission = this.#p.window.admit(this.#p.issuer, key);
    switch (admission.kind) {
      case 'run':
        this.#running.set(asked.id, { key, verb, target });
        mark('worker.run', key);
        return handler.message(data);
      case 'replay':
        this.#audit(verb, target, 'replayed', `command ${key} seen before; not run again`);
        this.#inner.send({ v: 1, type: 'reply', id: asked.id, ...admission.result });
        return;
      case 'refused':
        this.#audit(verb, target, 'refused', admission.message);
        this.#inner.send({ v: 1, type: 'reply', id: asked.id, ok: false, error: { code: 'refused', message: `node "${this.#p.node}": ${admission.message}` } });
        return;
    }
  }

  #refuse(asked: Asked, verb: string, decision: PolicyRefusal): void {
    this.#audit(verb, asked.target ?? 'all', 'refused', decision.message);
    this.#inner.send({ v: 1, type: 'reply', id: asked.id, ok: false, error: { code: 'refused', message: decision.message } });
  }

  /** The reply to an admitted action: recorded for replays and appended to the audit log with its outcome. */
  #observe(message: object): void {
    const reply = message as Fields;
    if (reply.type !== 'reply' || typeof reply.id !== 'number') return;
    const running = this.#running.get(reply.id);
    if (!running) return;
    mark('worker.done', running.key);
    this.#running.delete(reply.id);
    const stored: StoredReply = reply.ok === true ? { ok: true, result: reply.result } : { ok: false, error: reply.error };
    this.#p.window.complete(this.#p.issuer, running.key, stored);
    const result = isFields(reply.result) && reply.result.ok === true ? 'ok' : 'failed';
    const detail = isFields(reply.result) && typeof reply.result.message === 'string' ? reply.result.message : isFields(reply.error) && typeof reply.error.message === 'string' ? reply.error.message : undefined;
    this.#audit(running.verb, running.target, reply.ok === true ? result : 'failed', detail);
    mark('worker.audited', running.key);
  }

  #audit(verb: string, target: string, result: string, detail: string | undefined): void {
    this.#p.chain.record({ time: (this.#p.now?.() ?? new Date()).toISOString(), sid: this.#p.sid, issuer: this.#p.issuer, node: this.#p.node, verb, target, result, ...(detail === undefined ? {} : { detail }) }, this.#p.onAuditError);
  }
}
