import { Box } from 'ink';
import { useMemo } from 'react';
import type { Controller } from '../model/controller.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { Help } from './components/Help.js';
import { LogPane } from './components/LogPane.js';
import { ProcessTable } from './components/ProcessTable.js';
import { useEffectRunner } from './hooks/useEffectRunner.js';
import { useKeys } from './hooks/useKeys.js';
import { useSupervisor } from './hooks/useSupervisor.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { useUiState } from './hooks/useUiState.js';
import type { FrameCost } from './frame-cost.js';
import type { RowOverlay } from './row-overlay.js';
import { handleKey, topIndex, type KeyContext } from './keys.js';
import { layoutFor } from './layout.js';
import type { KeyPress } from './ui-state.js';

export interface AppProps {
  readonly controller: Controller;
  readonly project: string;
  readonly mode: 'up' | 'attach';
  /** When the supervisor started (its uptime is shown when known). */
  readonly startedAt?: number;
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
}

export function App({ controller, project, mode, startedAt, onExit, writeRaw, saveCopy, throttleMs = 33, logThrottleMs = 100, frameCost, overlay }: AppProps) {
  const size = useTerminalSize();
  const { instances, logVersion, shutdown, now, store } = useSupervisor(controller, throttleMs, logThrottleMs, frameCost);
  const [ui, getUi, setUi] = useUiState();
  const apps = useMemo(() => [...new Set(instances.map((info) => info.app))], [instances]);
  const layout = layoutFor(size.columns, size.rows, instances.length);
  const selected = instances.find((info) => info.id === ui.selected) ?? instances[0];
  const target = ui.logTarget === 'all' || !selected ? 'all' : selected.id;
  const view = store.view(target);
  const ctx: KeyContext = { instances, view, pageSize: layout.logRows, mode };
  const run = useEffectRunner({ controller, mode, onExit, writeRaw, saveCopy, setUi });

  useKeys((press: KeyPress) => {
    const result = handleKey(getUi(), press, ctx);
    setUi(result.state);
    if (result.effect) run(result.effect);
  });

  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header project={project} mode={mode} startedAt={startedAt} now={now} instances={instances} shutdown={shutdown} width={layout.width} overlay={overlay} />
      {ui.mode.kind === 'help' ? (
        <Help width={layout.width} height={layout.height - 2} mode={mode} />
      ) : (
        <>
          <ProcessTable instances={instances} selected={selected?.id} focused={ui.focus === 'table'} height={layout.tableRows} width={layout.width} now={now} overlay={overlay} />
          <LogPane
            view={view}
            title={target === 'all' ? 'all apps' : target}
            merged={target === 'all'}
            ui={ui}
            top={topIndex(ui, ctx)}
            instances={instances}
            apps={apps}
            height={layout.logRows}
            width={layout.width}
            version={logVersion}
            overlay={overlay}
          />
        </>
      )}
      <Footer ui={ui} mode={mode} width={layout.width} />
    </Box>
  );
}
