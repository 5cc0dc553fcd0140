import { assertNever } from '../model/assert.js';
import type { PluginHook } from '../model/plugin.js';

export type PluginFailure =
  | { readonly kind: 'threw'; readonly cause: unknown }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  /** A function that returned what it must not (a column value that is no string). */
  | { readonly kind: 'invalid'; readonly reason: string };

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name === 'Error' ? '' : `${cause.name}: `}${cause.message}`;
  return typeof cause === 'string' ? cause : `a non-error value (${typeof cause === 'object' ? JSON.stringify(cause) ?? 'object' : String(cause)})`;
}

function describeFailure(failure: PluginFailure): string {
  switch (failure.kind) {
    case 'threw':
      return `threw: ${describeCause(failure.cause)}`;
    case 'timeout':
      return `did not finish within ${failure.timeoutMs} ms; the supervisor carries on without waiting for it`;
    case 'invalid':
      return failure.reason;
    default:
      return assertNever(failure, 'plugin failure');
  }
}

/** A plugin hook that threw or did not finish in time. The supervisor reports it and carries on. */
export class PluginError extends Error {
  override readonly name = 'PluginError';
  override readonly cause: unknown;
  constructor(
    readonly plugin: string,
    readonly hook: PluginHook,
    readonly failure: PluginFailure,
    /** The RPC method or CLI command, for 'rpc' and 'command'. */
    readonly detail?: string,
  ) {
    const what = detail === undefined ? hook : `${hook} "${detail}"`;
    super(`plugin "${plugin}": ${what} ${describeFailure(failure)}`);
    this.cause = failure.kind === 'threw' ? failure.cause : undefined;
  }
}
