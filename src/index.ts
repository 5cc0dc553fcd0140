/**
 * node-unit's public surface. Importing it starts nothing and loads no UI or watcher.
 */
export { defineConfig } from './config/define.js';
export { definePlugin } from './plugin/define.js';
export { PluginError, type PluginFailure } from './plugin/errors.js';
export type {
  AppConfig,
  ArgList,
  ByteSize,
  ConfigContext,
  ConfigInput,
  DependencyConditionInput,
  Duration,
  EcosystemConfig,
  EnvValue,
  EnvVars,
  ReadinessConfig,
  ReadinessTiming,
} from './config/types.js';
export type { AppSpec, Dependency, DependencyCondition, ExecMode, LogSpec, ReadinessCheck, ReadinessSpec, WatchSpec } from './model/app.js';
export type { ProcessState, ProcessStatus } from './model/state.js';
export type { InstanceId } from './model/ids.js';
export type {
  ActionError,
  ActionErrorCode,
  ActionResult,
  Controller,
  DescribeResult,
  InstanceDetail,
  KeyChange,
  LogQuery,
  LogsResult,
  ReloadPlan,
  ReloadResult,
  SubscribeOptions,
  Target,
  Unsubscribe,
} from './model/controller.js';
export { nodeMatches, parseNodeSelector, parseTarget, resolveNodeSelector, selectInstances, selectNodes, HERE } from './model/target.js';
export type { InstanceMatch, NodeRef, NodeSelection, NodeSelector, NodeTarget, SelfNode, TargetInstance, TargetParse } from './model/target.js';
export type { InstanceInfo, LogLine, LogStream, MetricsSample, SupervisorEvent } from './model/events.js';
export type {
  Disposer,
  Plugin,
  PluginCall,
  PluginCallErrorCode,
  PluginCallResult,
  PluginCaller,
  PluginCliContext,
  PluginColumn,
  PluginCommand,
  PluginCommandArgument,
  PluginCommandOption,
  PluginConfig,
  PluginContext,
  PluginHook,
  PluginLogger,
  PluginLogLevel,
  PluginPanel,
  RpcHandler,
  TextWriter,
} from './model/plugin.js';
export { writeFileAtomicSync } from './util/atomic-write.js';
export { LogCredit, creditWeight, runWeight } from './model/log-credit.js';
export { runAfter } from './model/log-runs.js';
export { connectControlPort, serveControlPort, ControlError, packLines, unpackRuns } from './control/transport.js';
export type { ControlClient, ControlClientOptions, ControlErrorCode, LogRun, MessagePort, PortHandler, ServedPort, ServerIdentity } from './control/transport.js';
