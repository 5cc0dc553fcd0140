import { spawn } from 'node:child_process';
import net from 'node:net';
import stripAnsi from 'strip-ansi';
import type { ReadinessCheck } from '../model/app.js';
import { assertNever } from '../model/assert.js';
import { signal as sendSignal } from '../util/proc.js';
import { lazyBuiltin } from '../util/lazy-builtin.js';

const loadHttp = lazyBuiltin<typeof import('node:http')>('node:http');
const loadHttps = lazyBuiltin<typeof import('node:https')>('node:https');

export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface ProbeContext {
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

const OK: ProbeResult = { ok: true };
const fail = (reason: string): ProbeResult => ({ ok: false, reason });

/**
 * Replaces `${VAR}` and `$VAR` with values from env. Unknown variables stay as written, so the error that
 * follows (an invalid URL or port) names the variable that is missing.
 */
export function substituteVars(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{(\w+)\}|\$([A-Za-z_]\w*)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return Object.hasOwn(env, name) ? (env[name] ?? whole) : whole;
  });
}

/** Runs one readiness check. Never throws: every failure is a result with a reason a user can act on. */
export async function runProbe(check: ReadinessCheck, context: ProbeContext): Promise<ProbeResult> {
  try {
    switch (check.kind) {
      case 'http':
        return await probeHttp(substituteVars(check.url, context.env), check.status, context);
      case 'tcp':
        return await probeTcp(check.host, check.port, context);
      case 'exec':
        return await probeExec(check.command, context);
      case 'log':
        return fail('a log probe is matched against output lines (logMatcher), it cannot be run');
      default:
        return assertNever(check, 'readiness check');
    }
  } catch (error) {
    return fail(`probe failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * A predicate for output lines. The pattern is a regular expression source (flags are not kept by the
 * config); colour codes are stripped first, since children run with FORCE_COLOR.
 */
export function logMatcher(pattern: string): (line: string) => boolean {
  let regex: RegExp | undefined;
  try {
    regex = new RegExp(pattern);
  } catch {
    regex = undefined;
  }
  if (regex === undefined) return (line) => stripAnsi(line).includes(pattern);
  const compiled = regex;
  return (line) => compiled.test(stripAnsi(line));
}

/** Aborts on the caller's signal or after the timeout, and says which one happened. */
function deadline(context: ProbeContext): { readonly signal: AbortSignal; reason(): string; dispose(): void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, context.timeoutMs);
  const onAbort = (): void => controller.abort();
  if (context.signal?.aborted) controller.abort();
  else context.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    reason: () => (timedOut ? `timed out after ${context.timeoutMs} ms` : 'aborted'),
    dispose: () => {
      clearTimeout(timer);
      context.signal?.removeEventListener('abort', onAbort);
    },
  };
}

function describeNetError(error: unknown, where: string): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused on ${where}`;
    case 'ECONNRESET':
      return `connection reset by ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found: ${where}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable`;
    default:
      return `${where}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function probeHttp(url: string, expectedStatus: number | undefined, context: ProbeContext): Promise<ProbeResult> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve(fail(`invalid URL ${JSON.stringify(url)}`));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return Promise.resolve(fail(`unsupported protocol in ${url} (use http:// or https://)`));
  const where = hostPort(parsed.hostname.replace(/^\[|\]$/g, ''), Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)));
  const limit = deadline(context);
  return new Promise<ProbeResult>((resolve) => {
    const client = parsed.protocol === 'https:' ? loadHttps() : loadHttp();
    // agent: false — a probe must not keep a pooled socket (and the event loop) alive.
    const request = client.get(parsed, { agent: false, signal: limit.signal }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      const ok = status === expectedStatus || (status >= 200 && status < 400);
      resolve(ok ? OK : fail(`${url} answered ${status}`));
      request.destroy();
    });
    request.on('error', (error) => resolve(fail(limit.signal.aborted ? limit.reason() : describeNetError(error, where))));
  }).finally(() => limit.dispose());
}

function resolvePort(raw: number | string, env: Readonly<Record<string, string>>): number | string {
  const text = typeof raw === 'number' ? String(raw) : substituteVars(raw, env).trim();
  const port = Number(text);
  if (/^\d+$/.test(text) && port > 0 && port < 65536) return port;
  const missing = typeof raw === 'string' ? /\$\{?(\w+)\}?/.exec(raw)?.[1] : undefined;
  const hint = missing !== undefined && !Object.hasOwn(env, missing) ? ` (${missing} is not set)` : '';
  return `invalid port ${JSON.stringify(typeof raw === 'number' ? raw : text)}${hint}`;
}

function probeTcp(host: string, rawPort: number | string, context: ProbeContext): Promise<ProbeResult> {
  const port = resolvePort(rawPort, context.env);
  if (typeof port === 'string') return Promise.resolve(fail(port));
  const target = substituteVars(host, context.env);
  const where = hostPort(target, port);
  const limit = deadline(context);
  return new Promise<ProbeResult>((resolve) => {
    const socket = net.connect({ host: target, port });
    const finish = (result: ProbeResult): void => {
      socket.destroy();
      limit.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = (): void => finish(fail(limit.reason()));
    if (limit.signal.aborted) return onAbort();
    limit.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(OK));
    socket.once('error', (error) => finish(fail(describeNetError(error, where))));
  }).finally(() => limit.dispose());
}

const OUTPUT_TAIL = 300;

function probeExec(command: string, context: ProbeContext): Promise<ProbeResult> {
  const limit = deadline(context);
  return new Promise<ProbeResult>((resolve) => {
    // Own process group, so a timeout can kill whatever the command started, not only the shell.
    const child = spawn('/bin/sh', ['-c', command], { cwd: context.cwd, env: context.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: string): void => {
      output = (output + chunk).slice(-OUTPUT_TAIL);
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    const killGroup = (): void => {
      if (child.pid !== undefined) sendSignal(-child.pid, 'SIGKILL');
    };
    let settled = false;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      limit.signal.removeEventListener('abort', onAbort);
      // A background job of the command (`cmd &`) must not outlive the probe, nor hold our pipes open.
      killGroup();
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish(fail(limit.reason()));
    limit.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => finish(fail(`could not run /bin/sh: ${error.message}`)));
    child.once('exit', (code, sig) => {
      if (code === 0) return finish(OK);
      const report = (): void => {
        const last = output.trim().split('\n').at(-1)?.trim() ?? '';
        const how = sig !== null ? `was killed by ${sig}` : `exited with code ${code ?? 'unknown'}`;
        finish(fail(last === '' ? how : `${how}: ${last}`));
      };
      // The last output may still be in the pipes; wait for them briefly, not for a process that escaped the group.
      killGroup();
      const grace = setTimeout(report, 200);
      child.once('close', () => {
        clearTimeout(grace);
        report();
      });
    });
  }).finally(() => limit.dispose());
}
