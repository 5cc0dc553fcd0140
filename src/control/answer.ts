import { assertNever } from '../model/assert.js';
import type { ActionResult, Controller } from '../model/controller.js';
import { NO_VIEWS } from '../model/plugin.js';
import { ControlError } from './errors.js';
import { PROTOCOL_RANGE, commonVersion, describeRange, type HelloResult, type ProtocolError, type Request } from './protocol.js';

/** Who the server is, as `hello` tells a client. */
export interface ServerIdentity {
  readonly pid: number;
  readonly project: string;
  readonly version: string;
}

/**
 * Answers `{type: 'plugin'}` requests. For a plugin or method it does not know it throws a ControlError
 * with code 'unknown_plugin' or 'unknown_method'; any other error is that call's failure.
 */
export type PluginCallHandler = (plugin: string, method: string, params: unknown) => Promise<unknown>;

export interface AnswerContext {
  readonly controller: Controller;
  readonly identity: ServerIdentity;
  readonly plugins: PluginCallHandler | undefined;
}

export type Answer = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: ProtocolError };

/** Requests that need no per-connection state: everything but subscribe and unsubscribe. */
export type PlainRequest = Exclude<Request, { readonly type: 'subscribe' | 'unsubscribe' | 'grant' }>;

const ok = (result: unknown): Answer => ({ ok: true, result });

/** A controller without one of the optional changes (a test fake, a viewer) answers that it cannot make it. */
function unsupported(what: string): ActionResult {
  return { ok: false, code: 'failed', message: `this supervisor cannot ${what}` };
}

function greet(request: Extract<Request, { type: 'hello' }>, identity: ServerIdentity): Answer {
  const client = { min: request.min ?? request.v, max: request.max ?? request.v };
  const spoken = commonVersion(client, PROTOCOL_RANGE);
  if (spoken === undefined) {
    const message = `this client speaks protocol ${describeRange(client)}; the supervisor (node-unit ${identity.version}, pid ${identity.pid}) speaks ${describeRange(PROTOCOL_RANGE)}: use the same node-unit on both sides`;
    return { ok: false, error: { code: 'unsupported_version', message } };
  }
  const hello: HelloResult = { ...identity, protocol: spoken, protocols: PROTOCOL_RANGE };
  return ok(hello);
}

async function callPlugin(request: Extract<Request, { type: 'plugin' }>, plugins: PluginCallHandler | undefined): Promise<Answer> {
  const { plugin, method, params } = request;
  if (!plugins) return { ok: false, error: { code: 'unknown_plugin', message: `no plugin named "${plugin}" is loaded (this supervisor runs no plugins)` } };
  try {
    return ok((await plugins(plugin, method, params ?? null)) ?? null);
  } catch (error) {
    if (error instanceof ControlError && (error.code === 'unknown_plugin' || error.code === 'unknown_method')) return { ok: false, error: { code: error.code, message: error.message } };
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'plugin_failed', message: `plugin "${plugin}" failed in ${method}: ${reason}` } };
  }
}

export async function answer(request: PlainRequest, context: AnswerContext): Promise<Answer> {
  const c = context.controller;
  switch (request.type) {
    case 'hello':
      return greet(request, context.identity);
    case 'ping':
      return ok({ pong: true });
    case 'list':
      return ok(await c.list());
    case 'describe':
      return ok(await c.describe(request.target));
    case 'start':
      return ok(await c.start(request.target));
    case 'stop':
      return ok(await c.stop(request.target));
    case 'restart':
      return ok(await (request.updateEnv === undefined ? c.restart(request.target) : c.restart(request.target, { updateEnv: request.updateEnv })));
    case 'reload':
      return ok(await c.reload(request.target, { planOnly: request.planOnly }));
    case 'signal':
      return ok(await c.signal(request.signal, request.target));
    case 'flush':
      return ok(await c.flush(request.target));
    case 'logs':
      return ok(await c.logs(request.target, request.streams === undefined ? { lines: request.lines } : { lines: request.lines, streams: request.streams }));
    case 'plugin':
      return callPlugin(request, context.plugins);
    case 'shutdown':
      await c.shutdown(request.reason);
      return ok({ stopped: true });
    case 'add':
      return ok(await (c.addApp ? c.addApp(request.app, request.cwd) : unsupported('start a script')));
    case 'delete':
      return ok(await (c.deleteApp ? c.deleteApp(request.target) : unsupported('delete')));
    case 'scale':
      return ok(await (c.scale ? c.scale(request.app, request.change) : unsupported('scale')));
    case 'reset':
      return ok(await (c.reset ? c.reset(request.target) : unsupported('reset')));
    case 'views':
      return ok(c.views ? await c.views() : NO_VIEWS);
    case 'panel':
      return ok(c.panel ? await c.panel(request.plugin, request.panel, request.width) : { ok: false, message: 'this supervisor draws no plugin panels' });
    default:
      return assertNever(request, 'request');
  }
}
