/**
 * node-unit's public surface. Importing it starts nothing and loads no UI or watcher.
 */
export { defineConfig } from './config/define.js';
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
  PluginLike,
  ReadinessConfig,
  ReadinessTiming,
} from './config/types.js';
export type { AppSpec, Dependency, DependencyCondition, ExecMode, LogSpec, ReadinessCheck, ReadinessSpec, WatchSpec } from './model/app.js';
export type { ProcessState, ProcessStatus } from './model/state.js';
export type { InstanceId } from './model/ids.js';
