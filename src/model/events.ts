import type { InstanceId } from './ids.js';
import type { ProcessState } from './state.js';

export type LogStream = 'out' | 'err';

/**
 * `node` on instances, lines, samples and events: the name of the supervisor (mesh node) it came from.
 * Absent means this supervisor. Optional on purpose: a local supervisor never sets it, so no local code or
 * wire message changes; the mesh sets it where it relays another node's data, and viewers key by
 * (node, id) so two nodes' `api:0` never merge.
 */

/** What a viewer knows about one instance. */
export interface InstanceInfo {
  readonly node?: string;
  readonly id: InstanceId;
  readonly app: string;
  readonly index: number;
  readonly namespace: string;
  readonly state: ProcessState;
  readonly cpu: number | undefined;
  readonly memory: number | undefined;
  /** Why the last run ended or why the instance waits, when it is worth showing. */
  readonly note: string | undefined;
  /** Set when the app was added at run time (`node-unit start script.js`) rather than by the ecosystem file. */
  readonly adhoc?: boolean;
  /** Plugin columns' values, keyed `<plugin>/<column id>` (see PluginColumnView); absent when no plugin declares one. */
  readonly columns?: Readonly<Record<string, string>>;
}

/** One line of an instance's output, as viewers see it (ANSI kept). */
export interface LogLine {
  /** Increases across all instances: merging by seq gives the order lines arrived in. */
  readonly seq: number;
  readonly node?: string;
  readonly id: InstanceId;
  readonly app: string;
  readonly stream: LogStream;
  readonly time: number;
  readonly line: string;
  /** Set on the `[… N lines skipped]` marker a slow viewer gets instead of the lines it missed. */
  readonly skipped?: number;
}

export interface MetricsSample {
  readonly node?: string;
  readonly id: InstanceId;
  readonly cpu: number;
  readonly memory: number;
  /** Plugin columns' values with this sample's figures, when a plugin declares columns. */
  readonly columns?: Readonly<Record<string, string>>;
}

/** Everything a subscriber hears: first one snapshot, then live events. */
export type SupervisorEvent =
  | { readonly type: 'snapshot'; readonly instances: readonly InstanceInfo[] }
  | { readonly type: 'state'; readonly instance: InstanceInfo }
  | { readonly type: 'log'; readonly lines: readonly LogLine[] }
  | { readonly type: 'metrics'; readonly samples: readonly MetricsSample[] }
  | { readonly type: 'config'; readonly instances: readonly InstanceInfo[] }
  | { readonly type: 'shutdown'; readonly reason: string; readonly node?: string };
