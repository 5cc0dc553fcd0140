import type { AppSpec, EnvSource } from '../model/app.js';
import type { ActionResult, DescribeResult, LogsResult, ReloadResult } from '../model/controller.js';
import type { InstanceInfo, LogLine, SupervisorEvent } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import type { PanelResult, PluginViews } from '../model/plugin.js';
import type { ProcessState } from '../model/state.js';
import { anything, array, boolean, count, integer, literal, nullable, number, object, optional, primitive, record, string, tagged, type Shape } from './schema.js';

/** The model's types as the client checks them on the way in: every reply and event passes one of these. */

export const instanceIdShape: Shape<InstanceId> = primitive('an instance id such as "api:0"', (v) => typeof v === 'string' && /^.+:\d+$/.test(v));
const pid = integer;
const time = number;
const signal = primitive<NodeJS.Signals>('a signal name', (v) => typeof v === 'string' && /^SIG[A-Z0-9]+$/.test(v));
const signalName = nullable(signal);

export const processStateShape: Shape<ProcessState> = tagged('status', {
  pending: object({ status: literal('pending'), reason: string, restarts: count }),
  starting: object({ status: literal('starting'), pid: optional(pid), since: time, restarts: count }),
  online: object({ status: literal('online'), pid, since: time, restarts: count }),
  stopping: object({ status: literal('stopping'), pid, since: time, restarts: count, forced: boolean }),
  backoff: object({ status: literal('backoff'), retryAt: time, restarts: count, code: nullable(integer), signal: signalName }),
  exited: object({ status: literal('exited'), code: nullable(integer), signal: signalName, restarts: count, since: time }),
  errored: object({ status: literal('errored'), reason: string, restarts: count, since: time }),
  stopped: object({ status: literal('stopped'), restarts: count, since: time }),
});

/** The mesh node an instance, line, sample or event came from; absent for the supervisor itself. */
const node = optional(string);

export const instanceInfoShape: Shape<InstanceInfo> = object({
  node,
  id: instanceIdShape,
  app: string,
  index: count,
  namespace: string,
  state: processStateShape,
  cpu: optional(number),
  memory: optional(number),
  note: optional(string),
  adhoc: optional(boolean),
  columns: optional(record(string)),
});

export const logLineShape: Shape<LogLine> = object({
  seq: count,
  node,
  id: instanceIdShape,
  app: string,
  stream: literal('out', 'err'),
  time,
  line: string,
  skipped: optional(count),
});

const actionErrorShape = object({ ok: literal(false), code: literal('unknown_target', 'shutting_down', 'failed', 'bad_request'), message: string });
const strings = array(string);

export const actionResultShape: Shape<ActionResult> = tagged('ok', {
  true: object({ ok: literal(true), instances: array(instanceIdShape), warnings: optional(strings) }),
  false: actionErrorShape,
});

const readinessCheck = tagged('kind', {
  http: object({ kind: literal('http'), url: string, status: optional(integer) }),
  tcp: object({ kind: literal('tcp'), host: string, port: primitive<number | string>('a port number or name', (v) => typeof v === 'string' || Number.isSafeInteger(v)) }),
  exec: object({ kind: literal('exec'), command: string }),
  log: object({ kind: literal('log'), pattern: string }),
});

const envSourceShape: Shape<EnvSource> = tagged('kind', {
  env_file: object({ kind: literal('env_file'), file: string }),
  deploy: object({ kind: literal('deploy'), profile: string }),
  env: object({ kind: literal('env') }),
  profile: object({ kind: literal('profile'), profile: string }),
  port: object({ kind: literal('port') }),
  inherited: object({ kind: literal('inherited') }),
  ports: object({ kind: literal('ports') }),
  instance: object({ kind: literal('instance') }),
  'node-unit': object({ kind: literal('node-unit') }),
});

export const appSpecShape: Shape<AppSpec> = object({
  name: string,
  namespace: string,
  script: string,
  args: strings,
  interpreter: optional(string),
  interpreterArgs: strings,
  blockingStdio: boolean,
  cwd: string,
  env: record(string),
  envSources: record(envSourceShape),
  envFiles: strings,
  filterEnv: primitive<readonly string[] | boolean>('true, false or a list of names', (v) => typeof v === 'boolean' || (Array.isArray(v) && v.every((s) => typeof s === 'string'))),
  instances: count,
  execMode: literal('fork', 'cluster'),
  incrementVar: optional(string),
  instanceVar: string,
  autostart: boolean,
  autorestart: boolean,
  maxRestarts: count,
  minUptimeMs: number,
  restartDelayMs: number,
  expBackoffRestartDelayMs: optional(number),
  stopExitCodes: array(integer),
  killTimeoutMs: number,
  killSignal: signal,
  maxMemoryBytes: optional(number),
  cronRestart: optional(string),
  watch: optional(object({ paths: strings, ignore: strings, delayMs: number, options: optional(record(anything)) })),
  waitReady: boolean,
  listenTimeoutMs: number,
  readiness: optional(object({ check: readinessCheck, intervalMs: number, timeoutMs: number, retries: count, initialDelayMs: number })),
  dependsOn: array(object({ app: string, condition: literal('started', 'ready', 'completed') })),
  ports: record(count),
  node: optional(string),
  logs: object({
    outFile: nullable(string),
    errorFile: nullable(string),
    combinedFile: nullable(string),
    merge: boolean,
    timestamp: boolean,
    dateFormat: optional(string),
    maxSizeBytes: optional(number),
    maxFiles: count,
    bufferLines: optional(count),
    json: optional(boolean),
  }),
  pidFile: optional(string),
  written: optional(record(anything)),
  adhoc: optional(boolean),
  columns: optional(record(string)),
});

export const describeResultShape: Shape<DescribeResult> = tagged('ok', {
  true: object({ ok: literal(true), instances: array(object({ info: instanceInfoShape, spec: appSpecShape, pid: optional(pid) })) }),
  false: actionErrorShape,
});

export const logsResultShape: Shape<LogsResult> = tagged('ok', {
  true: object({ ok: literal(true), lines: array(logLineShape) }),
  false: actionErrorShape,
});

const keyChange = object({ key: string, from: anything, to: anything });

export const reloadResultShape: Shape<ReloadResult> = tagged('ok', {
  true: tagged('kind', {
    config: object({
      ok: literal(true),
      kind: literal('config'),
      plan: object({ added: strings, removed: strings, changed: array(object({ app: string, changes: array(keyChange), action: optional(literal('restart', 'scale')) })), unchanged: strings }),
      applied: boolean,
      warnings: strings,
    }),
    rolling: object({ ok: literal(true), kind: literal('rolling'), instances: array(instanceIdShape) }),
  }),
  false: actionErrorShape,
});

const instances = array(instanceInfoShape);

export const eventShape: Shape<SupervisorEvent> = tagged('type', {
  snapshot: object({ type: literal('snapshot'), instances }),
  state: object({ type: literal('state'), instance: instanceInfoShape }),
  log: object({ type: literal('log'), lines: array(logLineShape) }),
  metrics: object({ type: literal('metrics'), samples: array(object({ node, id: instanceIdShape, cpu: number, memory: number, columns: optional(record(string)) })) }),
  config: object({ type: literal('config'), instances }),
  shutdown: object({ type: literal('shutdown'), reason: string, node }),
});

export const pluginViewsShape: Shape<PluginViews> = object({
  columns: array(object({ plugin: string, id: string, header: string, width: count, align: literal('left', 'right') })),
  panels: array(object({ plugin: string, id: string, title: string, key: optional(string) })),
});

export const panelResultShape: Shape<PanelResult> = tagged('ok', {
  true: object({ ok: literal(true), lines: strings }),
  false: object({ ok: literal(false), message: string }),
});
