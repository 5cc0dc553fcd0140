import { Box, Text } from 'ink';
import type { AppSpec, ReadinessCheck } from '../../model/app.js';
import type { InstanceInfo } from '../../model/events.js';
import { formatDuration } from '../../util/units.js';
import { describeInfo, pidOf, statusColor } from '../format.js';
import type { HistoryEntry } from '../hooks/useSupervisor.js';

export interface DetailProps {
  readonly info: InstanceInfo;
  readonly spec: AppSpec | undefined;
  readonly all: readonly InstanceInfo[];
  readonly history: readonly HistoryEntry[];
  readonly now: number;
  readonly width: number;
  /** Rows for the panel, its title included. */
  readonly height: number;
  /** A worker's instance: the node it runs on, whose spec is asked through the master. */
  readonly node?: string | undefined;
  /** Why the spec could not be had (a worker that did not answer, or answered what the view cannot read). */
  readonly specError?: string | undefined;
}

function checkText(check: ReadinessCheck): string {
  switch (check.kind) {
    case 'http':
      return `http ${check.url}${check.status === undefined ? '' : ` (status ${check.status})`}`;
    case 'tcp':
      return `tcp ${check.host}:${check.port}`;
    case 'exec':
      return `exec ${check.command}`;
    case 'log':
      return `log /${check.pattern}/`;
  }
}

/** The lines of the panel: what runs, where, what it waits for, what happened to it, where its logs go. */
export function detailLines(props: Omit<DetailProps, 'width' | 'height'>): readonly (readonly [string, string])[] {
  const { info, spec, all, history, now } = props;
  const state = info.state;
  const lines: [string, string][] = [['status', `${state.status}${pidOf(info) === undefined ? '' : ` pid ${pidOf(info)}`} · ${state.restarts} restart(s) · ${describeInfo(info, now, spec ? (spec.readiness?.check.kind ?? null) : undefined)}`]];
  if (!spec) return [...lines, ['', props.specError !== undefined ? `the spec could not be had${props.node === undefined ? '' : ` from ${props.node}`}: ${props.specError}` : `loading the app's spec${props.node === undefined ? '' : ` from ${props.node}`}…`]];
  const command = [spec.interpreter, ...spec.interpreterArgs, spec.script, ...spec.args].filter((part) => part !== undefined && part !== '').join(' ');
  lines.push(['command', command], ['cwd', spec.cwd]);
  const env = Object.keys(spec.env).sort();
  lines.push(['env', env.length === 0 ? '(none set by the config)' : `${env.length} keys (values hidden): ${env.join(', ')}`]);
  const ports = Object.entries(spec.ports);
  if (ports.length > 0) lines.push(['ports', ports.map(([name, port]) => `${name}=${port}`).join(', ')]);
  lines.push(['readiness', spec.readiness ? checkText(spec.readiness.check) : 'no check (online once started)']);
  if (spec.dependsOn.length > 0) {
    const stateOf = (app: string): string => all.filter((other) => other.app === app).map((other) => other.state.status).join('/') || 'unknown';
    lines.push(['depends on', spec.dependsOn.map((dep) => `${dep.app} (${dep.condition}; now ${stateOf(dep.app)})`).join(', ')]);
  }
  const files = [spec.logs.outFile && `out ${spec.logs.outFile}`, spec.logs.errorFile && `err ${spec.logs.errorFile}`, spec.logs.combinedFile && `all ${spec.logs.combinedFile}`].filter(Boolean);
  lines.push(['log files', files.length === 0 ? 'none' : files.join(' · ')]);
  lines.push(['history', history.length === 0 ? 'no change seen since this view started' : `${history.length} change(s) seen by this view, newest first:`]);
  for (const entry of [...history].reverse()) lines.push(['', `${formatDuration(Math.max(0, now - entry.at))} ago  ${entry.text}`]);
  return lines;
}

/** In place of the log pane: the selected instance in full. Any key closes it. */
export function Detail(props: DetailProps) {
  const { info, width, height } = props;
  const lines = detailLines(props).slice(0, Math.max(0, height - 1));
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate-end">
        <Text bold color="cyan">DETAIL </Text>
        <Text color={statusColor(info.state.status)}>{info.id}</Text>
        {props.node === undefined ? null : <Text dimColor> · on {props.node}, asked through the master</Text>}
        <Text dimColor> · any key closes</Text>
      </Text>
      {lines.map(([label, text], i) => (
        <Text key={i} wrap="truncate-end">
          <Text dimColor>{label.padEnd(11)}</Text>
          {text}
        </Text>
      ))}
    </Box>
  );
}
