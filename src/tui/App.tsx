import { Box } from 'ink';
import { useMemo, useRef, useState } from 'react';
import type { Controller } from '../model/controller.js';
import { Detail } from './components/Detail.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { Help } from './components/Help.js';
import { LogPane } from './components/LogPane.js';
import { NodesPanel } from './components/NodesPanel.js';
import { PluginPanel } from './components/PluginPanel.js';
import { usePanelLines, usePluginViews } from './hooks/usePluginViews.js';
import { columnKey } from '../model/plugin.js';
import { ProcessTable } from './components/ProcessTable.js';
import { clusterRows, isReachable, selfName, workerOf } from './cluster/cluster.js';
import { clusterSummary } from './cluster/node-lines.js';
import { useEffectRunner } from './hooks/useEffectRunner.js';
import { useCluster } from './hooks/useCluster.js';
import { useKeys } from './hooks/useKeys.js';
import { useRemoteDetail } from './hooks/useRemoteDetail.js';
import { useRemoteLogs } from './hooks/useRemoteLogs.js';
import { useSpecs } from './hooks/useSpecs.js';
import { useSupervisor, type LiveClock } from './hooks/useSupervisor.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { useUiState } from './hooks/useUiState.js';
import type { FrameCost } from './frame-cost.js';
import type { ReadinessKind } from './format.js';
import type { LogView } from './log-store.js';
import type { RowOverlay } from './row-overlay.js';
import { handleKey, topIndex, type KeyContext } from './keys.js';
import { layoutFor } from './layout.js';
import { tableRows, tableWindow } from './table-rows.js';
import type { KeyPress } from './ui-state.js';

export interface AppProps {
  readonly controller: Controller;
  readonly project: string;
  readonly mode: 'up' | 'attach';
  /** When the supervisor started (its uptime is shown when known). */
  readonly startedAt?: number;
  /** q and Ctrl-C ask first (stop everything / detach / cancel). Default true. */
  readonly confirmQuit?: boolean;
  /** The user left: 'quit' stops everything (up), 'detach' leaves it running. */
  readonly onExit: (result: 'quit' | 'detach') => void;
  readonly writeRaw?: (data: string) => void;
  readonly saveCopy?: (text: string) => Promise<string>;
  /** How often state changes reach React at most. */
  readonly throttleMs?: number;
  /** How often new log lines reach React at most. */
  readonly logThrottleMs?: number;
  /** What frames cost: log-only frames are spaced further apart when drawing is slow. */
  readonly frameCost?: FrameCost;
  /** Set when the terminal writer swaps finished log rows in for Ink's placeholders. */
  readonly overlay?: RowOverlay;
  /** Draws the overlay's live rows again in place, without a frame (runTui's terminal writer). */
  readonly redrawLive?: (now: number) => boolean;
  /** How often a federation master's nodes and their apps are asked for. */
  readonly clusterPollMs?: number;
  /** How often an open plugin panel is drawn again. */
  readonly panelPollMs?: number;
}

/** Rows above the table's first row: the header and the table's title. */
const TABLE_FIRST_ROW = 2;

/** A paused pane reads a snapshot taken when it paused: it holds still however fast lines arrive. */
function usePausedView(live: LogView, paused: boolean, target: string, take: () => LogView): LogView {
  const frozen = useRef<{ readonly target: string; readonly view: LogView } | undefined>(undefined);
  if (!paused) {
    frozen.current = undefined;
    return live;
  }
  if (frozen.current?.target !== target) frozen.current = { target, view: take() };
  return frozen.current.view;
}

export function App({ controller, project, mode, startedAt, confirmQuit = true, onExit, writeRaw, saveCopy, throttleMs = 33, logThrottleMs = 100, frameCost, overlay, redrawLive, clusterPollMs, panelPollMs }: AppProps) {
  const size = useTerminalSize();
  const everyTick = useRef(true);
  const [clock] = useState<LiveClock>(() => ({ startedAt, drawsEveryTick: () => everyTick.current, redraw: overlay ? redrawLive : undefined }));
  const { instances: local, logVersion, shutdown, now, store, history, addLines } = useSupervisor(controller, throttleMs, logThrottleMs, frameCost, clock);
  const cluster = useCluster(controller, clusterPollMs);
  useRemoteLogs(controller, cluster, addLines);
  const instances = useMemo(() => clusterRows(local, cluster), [local, cluster]);
  // The log pane labels a worker's lines `node/app`.
  const labelled = useMemo(() => (cluster ? instances.map((info) => (workerOf(info, cluster) ? { ...info, app: `${info.node ?? ''}/${info.app}` } : info)) : local), [instances, local, cluster]);
  const tableCluster = useMemo(() => (cluster ? { away: new Map(cluster.nodes.filter((node) => !isReachable(node)).map((node) => [node.name, node.state])) } : undefined), [cluster]);
  // On a master the header counts every node's apps; those of nodes that do not answer are unknown.
  const counted = useMemo(() => (tableCluster ? instances.filter((info) => !tableCluster.away.has(info.node ?? '')) : local), [instances, local, tableCluster]);
  const mesh = useMemo(() => (cluster ? { self: selfName(cluster), nodes: cluster.nodes.length + 1 } : undefined), [cluster]);
  const [ui, getUi, setUi] = useUiState();
  const views = usePluginViews(controller);
  // Also on a federation master: other nodes' uptimes are drawn against the same clock.
  everyTick.current = ui.message !== undefined || ui.mode.kind === 'detail' || ui.nodes || ui.sort === 'cpu' || ui.sort === 'mem' || cluster !== undefined;
  const apps = useMemo(() => [...new Set(local.map((info) => info.app))], [local]);
  const specs = useSpecs(controller, apps);
  const readiness = useMemo(() => new Map<string, ReadinessKind>([...specs].map(([app, spec]) => [app, spec.readiness?.check.kind ?? null])), [specs]);
  const rows = useMemo(() => tableRows(instances, ui.filter, ui.sort), [instances, ui.filter, ui.sort]);
  const layout = layoutFor(size.columns, size.rows, rows.length);
  const selected = rows.find((info) => info.id === ui.selected) ?? instances.find((info) => info.id === ui.selected) ?? rows[0];
  const selectedIndex = Math.max(0, rows.findIndex((info) => info.id === selected?.id));
  const first = tableWindow(rows.length, selectedIndex, layout.tableRows);
  const target = ui.logTarget === 'all' || !selected ? 'all' : selected.id;
  const view = usePausedView(store.view(target), !ui.scroll.follow, target, () => store.snapshot(target));
  const ctx: KeyContext = {
    instances: rows,
    all: instances,
    view,
    pageSize: layout.logRows,
    mode,
    table: { firstRow: TABLE_FIRST_ROW, rows: layout.tableRows, firstIndex: first },
    logRow: TABLE_FIRST_ROW + layout.tableRows,
    confirmQuit,
    now: Date.now(),
    ...(cluster ? { workerOf: (info) => workerOf(info, cluster)?.name } : {}),
    ...(views.panels.length > 0 ? { panels: views.panels } : {}),
  };
  const panel = ui.panel === undefined ? undefined : views.panels.find((candidate) => columnKey(candidate.plugin, candidate.id) === ui.panel);
  const panelLines = usePanelLines(controller, panel, layout.width, panelPollMs);
  const run = useEffectRunner({ controller, mode, onExit, writeRaw, saveCopy, setUi });

  useKeys((press: KeyPress) => {
    const result = handleKey(getUi(), press, { ...ctx, now: Date.now() });
    setUi(result.state);
    if (result.effect) run(result.effect);
  });

  const detail = ui.mode.kind === 'detail' ? ui.mode.id : undefined;
  const detailInfo = detail === undefined ? undefined : instances.find((info) => info.id === detail);
  const detailNode = detailInfo && cluster ? workerOf(detailInfo, cluster)?.name : undefined;
  const remoteDetail = useRemoteDetail(controller, detailInfo, detailNode);
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header project={project} mode={mode} startedAt={startedAt} now={now} instances={counted} unknown={instances.length - counted.length} shutdown={shutdown} width={layout.width} overlay={overlay} cluster={cluster ? clusterSummary(cluster) : undefined} />
      {ui.mode.kind === 'help' ? (
        <Help width={layout.width} height={layout.height - 2} mode={mode} panels={views.panels} />
      ) : (
        <>
          <ProcessTable
            instances={rows}
            total={instances.length}
            first={first}
            filter={ui.filter}
            sort={ui.sort}
            readiness={readiness}
            selected={selected?.id}
            focused={ui.focus === 'table'}
            height={layout.tableRows}
            width={layout.width}
            now={now}
            overlay={overlay}
            cluster={tableCluster}
            plugins={views.columns}
          />
          {panel ? (
            <PluginPanel panel={panel} result={panelLines} width={layout.width} height={layout.logRows} overlay={overlay} />
          ) : cluster && ui.nodes ? (
            <NodesPanel cluster={cluster} local={local} now={now} width={layout.width} height={layout.logRows} overlay={overlay} />
          ) : detailInfo ? (
            <Detail
              info={detailInfo}
              spec={remoteDetail ? (remoteDetail.kind === 'ok' ? remoteDetail.spec : undefined) : specs.get(detailInfo.app)}
              all={detailNode === undefined ? instances : instances.filter((info) => info.node === detailNode)}
              history={history.get(detailInfo.id) ?? []}
              now={now}
              width={layout.width}
              height={layout.logRows + 1}
              node={detailNode}
              specError={remoteDetail?.kind === 'error' ? remoteDetail.message : undefined}
            />
          ) : (
            <LogPane
              view={view}
              title={target === 'all' ? 'all apps' : target}
              merged={target === 'all'}
              ui={ui}
              top={topIndex(ui, ctx)}
              instances={labelled}
              apps={apps}
              height={layout.logRows}
              width={layout.width}
              version={logVersion}
              overlay={overlay}
            />
          )}
        </>
      )}
      <Footer ui={ui} mode={mode} width={layout.width} now={now} cluster={cluster !== undefined} mesh={mesh} />
    </Box>
  );
}
