import type { ChildProcess } from 'node:child_process';
import type { AppSpec } from '../model/app.js';
import { logMatcher, runProbe } from './probes.js';

export type ReadinessOutcome = { readonly kind: 'ready'; readonly note?: string } | { readonly kind: 'failed'; readonly reason: string };

export interface ReadinessWatch {
  /** Feeds output lines to a log-line probe. */
  readonly onLine: (line: string) => void;
  readonly cancel: () => void;
}

interface Context {
  readonly app: AppSpec;
  readonly child: ChildProcess;
  readonly ipc: boolean;
  readonly env: Readonly<Record<string, string>>;
  /** Cluster workers: their 'online' event, where pm2 marks a worker online (one that never listens included). */
  readonly onOnline: ((listener: () => void) => void) | undefined;
  readonly done: (outcome: ReadinessOutcome) => void;
}

/** Waits for every readiness condition the app has: pm2's wait_ready message, then the probe. */
export function watchReadiness(context: Context): ReadinessWatch {
  const { app } = context;
  const abort = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  let finished = false;
  let lineMatcher: ((line: string) => boolean) | undefined;
  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const finish = (outcome: ReadinessOutcome): void => {
    if (finished) return;
    finished = true;
    abort.abort();
    for (const timer of timers) clearTimeout(timer);
    context.done(outcome);
  };
  const afterMessage = (note?: string): void => {
    const probe = app.readiness;
    if (!probe) return finish(note === undefined ? { kind: 'ready' } : { kind: 'ready', note });
    if (probe.check.kind === 'log') {
      const matches = logMatcher(probe.check.pattern);
      lineMatcher = (line) => matches(line);
      return;
    }
    let failures = 0;
    const attempt = async (): Promise<void> => {
      const result = await runProbe(probe.check, { env: context.env, cwd: app.cwd, timeoutMs: probe.timeoutMs, signal: abort.signal });
      if (finished) return;
      if (result.ok) return finish({ kind: 'ready' });
      failures++;
      if (probe.retries > 0 && failures >= probe.retries) return finish({ kind: 'failed', reason: `not ready after ${failures} probes: ${result.reason}` });
      later(probe.intervalMs, () => void attempt());
    };
    later(probe.initialDelayMs, () => void attempt());
  };
  const onOnline = context.onOnline;
  if (onOnline && !app.waitReady) {
    onOnline(() => {
      if (!finished) afterMessage();
    });
  } else if (app.waitReady && context.ipc) {
    const onMessage = (message: unknown): void => {
      if (message === 'ready' || (typeof message === 'object' && message !== null && 'type' in message && message.type === 'ready')) {
        context.child.off('message', onMessage);
        afterMessage();
      }
    };
    context.child.on('message', onMessage);
    later(app.listenTimeoutMs, () => {
      context.child.off('message', onMessage);
      afterMessage(`no 'ready' message within listen_timeout ${app.listenTimeoutMs}ms; online anyway, as pm2 does`);
    });
  } else {
    afterMessage(app.waitReady ? 'wait_ready needs a node script (it listens for process.send("ready")); ignored' : undefined);
  }
  return {
    onLine: (line) => {
      if (lineMatcher?.(line)) finish({ kind: 'ready' });
    },
    cancel: () => {
      finished = true;
      abort.abort();
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
