import { columnKey, type PluginPanelView } from '../model/plugin.js';
import type { KeyContext } from './key-moves.js';
import type { KeyPress, UiState } from './ui-state.js';

/** A plugin panel's key shows it in place of the logs, and hides it again. */
export function togglePanel(state: UiState, panel: PluginPanelView | undefined): UiState {
  if (!panel) return state;
  const ref = columnKey(panel.plugin, panel.id);
  return { ...state, panel: state.panel === ref ? undefined : ref, nodes: false };
}

/** Panels without a key of their own, as the help numbers them (1 to 9). */
export function keylessPanels(ctx: Pick<KeyContext, 'panels'>): readonly PluginPanelView[] {
  return (ctx.panels ?? []).filter((panel) => panel.key === undefined).slice(0, 9);
}

/** In the help, a digit opens the keyless panel of that number; any other key only closes the help. */
export function openFromHelp(state: UiState, press: KeyPress, ctx: KeyContext): UiState {
  if (press.kind !== 'char' || !/^[1-9]$/.test(press.char)) return state;
  const panel = keylessPanels(ctx)[Number(press.char) - 1];
  return panel ? togglePanel({ ...state, panel: undefined }, panel) : state;
}
