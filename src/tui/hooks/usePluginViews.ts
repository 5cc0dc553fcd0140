import { useEffect, useState } from 'react';
import type { Controller } from '../../model/controller.js';
import { NO_VIEWS, type PanelResult, type PluginPanelView, type PluginViews } from '../../model/plugin.js';

/** How often an open plugin panel is drawn again by the supervisor. */
export const PANEL_POLL_MS = 1000;

/**
 * The plugins' columns and panels, asked once: plugins are fixed for a supervisor's life. A supervisor that
 * does not know the request (an older one) has none.
 */
export function usePluginViews(controller: Controller): PluginViews {
  const [views, setViews] = useState<PluginViews>(NO_VIEWS);
  useEffect(() => {
    let current = true;
    controller.views?.().then(
      (answer) => {
        if (current && (answer.columns.length > 0 || answer.panels.length > 0)) setViews(answer);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [controller]);
  return views;
}

/**
 * An open panel's lines, asked for again every `pollMs` while it stays open (never while a request is still
 * out); nothing is asked while no panel is open.
 */
export function usePanelLines(controller: Controller, panel: PluginPanelView | undefined, width: number, pollMs = PANEL_POLL_MS): PanelResult | undefined {
  const [result, setResult] = useState<PanelResult | undefined>(undefined);
  const plugin = panel?.plugin;
  const id = panel?.id;
  useEffect(() => {
    setResult(undefined);
    const draw = controller.panel?.bind(controller);
    if (plugin === undefined || id === undefined || !draw) return undefined;
    let open = true;
    let timer: NodeJS.Timeout | undefined;
    const ask = (): void => {
      draw(plugin, id, width).then(
        (answer) => (open ? setResult(answer) : undefined),
        (error: unknown) => (open ? setResult({ ok: false, message: error instanceof Error ? error.message : String(error) }) : undefined),
      ).finally(() => {
        if (open) timer = setTimeout(ask, pollMs);
      });
    };
    ask();
    return () => {
      open = false;
      clearTimeout(timer);
    };
  }, [controller, plugin, id, width, pollMs]);
  return result;
}
