import type { AppSpec } from '../../src/model/app.js';
import { Supervisor, type ConfigSource } from '../../src/supervisor/supervisor.js';
import { appSpec } from '../helpers/app.js';
import type { ConformanceApp, ConformanceSubject } from './conformance.js';

function spec(app: ConformanceApp): AppSpec {
  return appSpec({ name: app.name, script: app.script, instances: app.instances ?? 1, autostart: app.autostart ?? true, ...(app.kill_timeout === undefined ? {} : { killTimeoutMs: app.kill_timeout }) });
}

/** A real Supervisor in this process running the apps on real processes; its config source is a variable. */
export async function inProcessSupervisor(apps: readonly ConformanceApp[]): Promise<ConformanceSubject & { readonly supervisor: Supervisor }> {
  let configured = apps;
  const source: ConfigSource = { load: async () => ({ ok: true, apps: configured.map(spec), warnings: [] }), staleNote: () => undefined };
  const supervisor = new Supervisor(apps.map(spec), { metricsIntervalMs: 60_000, configSource: source });
  await supervisor.startAll();
  return {
    supervisor,
    controller: supervisor,
    setApps: async (next) => {
      configured = next;
    },
    dispose: async () => {
      supervisor.killAll();
      await supervisor.shutdown('conformance over');
    },
  };
}
