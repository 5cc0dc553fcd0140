import type { ExecutionContext } from 'ava';
import type { AppSpec } from '../../src/model/app.js';
import type { InstanceInfo, SupervisorEvent } from '../../src/model/events.js';
import type { ProcessStatus } from '../../src/model/state.js';
import { Supervisor, type SupervisorOptions } from '../../src/supervisor/supervisor.js';
import { waitFor } from './wait.js';

export interface Harness {
  readonly supervisor: Supervisor;
  readonly events: SupervisorEvent[];
  readonly lines: (id?: string) => string[];
  readonly info: (id: string) => InstanceInfo | undefined;
  readonly waitStatus: (id: string, status: ProcessStatus, timeoutMs?: number) => Promise<InstanceInfo>;
  readonly statuses: (id: string) => ProcessStatus[];
}

/** A real supervisor on real fixture processes, shut down when the test ends. */
export async function harness(t: ExecutionContext, apps: readonly AppSpec[], options: SupervisorOptions & { readonly only?: readonly string[] } = {}): Promise<Harness> {
  const supervisor = new Supervisor(apps, { metricsIntervalMs: 60_000, ...options });
  const events: SupervisorEvent[] = [];
  const latest = new Map<string, InstanceInfo>();
  supervisor.subscribe((event) => {
    events.push(event);
    if (event.type === 'state') latest.set(event.instance.id, event.instance);
    if (event.type === 'snapshot') for (const info of event.instances) latest.set(info.id, info);
  });
  t.teardown(async () => {
    supervisor.killAll();
    await supervisor.shutdown('test over');
  });
  await supervisor.startAll(options.only);
  return {
    supervisor,
    events,
    lines: (id) => events.flatMap((e) => (e.type === 'log' ? e.lines.filter((l) => id === undefined || l.id === id).map((l) => l.line) : [])),
    info: (id) => latest.get(id),
    waitStatus: (id, status, timeoutMs = 10_000) =>
      waitFor(() => {
        const info = latest.get(id);
        return info?.state.status === status ? info : undefined;
      }, { timeoutMs, what: `${id} to be ${status} (is ${latest.get(id)?.state.status ?? 'unknown'}: ${latest.get(id)?.note ?? ''})` }),
    statuses: (id) => events.flatMap((e) => (e.type === 'state' && e.instance.id === id ? [e.instance.state.status] : [])),
  };
}
