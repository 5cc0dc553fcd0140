import type { PluginPanelView } from '../model/plugin.js';
import type { InstanceInfo } from '../model/events.js';
import { indexAtOrAfter, searchText, type LogView, type TuiLine } from './log-store.js';
import { compileSearch, matches } from './search.js';
import type { Message, Tone, UiState } from './ui-state.js';

/** Moves of the selection and the log pane's scroll, shared by the keys of every mode. */

export interface KeyContext {
  /** The table's rows, in order (filtered and sorted). */
  readonly instances: readonly InstanceInfo[];
  /** Every instance: targets are named against all of them. */
  readonly all: readonly InstanceInfo[];
  /** The lines the log pane shows now. */
  readonly view: LogView;
  /** How many log lines fit in the pane. */
  readonly pageSize: number;
  readonly mode: 'up' | 'attach';
  /** Where the table is on screen (0-based rows) and which of its rows is first: for the mouse. */
  readonly table: { readonly firstRow: number; readonly rows: number; readonly firstIndex: number };
  /** The log pane's first screen row (its title). */
  readonly logRow: number;
  /** q asks before leaving (up without --yes, and attach). */
  readonly confirmQuit: boolean;
  readonly now: number;
  /** The worker a row runs on; undefined for this supervisor's own rows (and without a cluster). */
  readonly workerOf?: (info: InstanceInfo) => string | undefined;
  /** The plugins' panels: a panel's key toggles it; keyless ones open from the help by number. */
  readonly panels?: readonly PluginPanelView[];
}

export const WHEEL_LINES = 3;

export function say(state: UiState, ctx: KeyContext, text: string, tone: Tone): UiState {
  const message: Message = { text, tone, at: ctx.now };
  return { ...state, message };
}

export function tablePage(state: UiState, ctx: KeyContext, by: number): UiState {
  return select(state, ctx, by * Math.max(1, ctx.table.rows - 1));
}

export function selectAt(state: UiState, ctx: KeyContext, index: number): UiState {
  const info = ctx.instances.at(index);
  return info ? { ...state, selected: info.id, scroll: state.logTarget === 'selected' ? { follow: true } : state.scroll } : state;
}

export function selectedLines(view: LogView, anchorSeq: number, cursorSeq: number): readonly TuiLine[] {
  const from = indexAtOrAfter(view, Math.min(anchorSeq, cursorSeq));
  const to = indexAtOrAfter(view, Math.max(anchorSeq, cursorSeq));
  const out: TuiLine[] = [];
  for (let i = from; i <= Math.min(to, view.length - 1); i++) {
    const line = view.at(i);
    if (line) out.push(line);
  }
  return out;
}

export function enterCopy(state: UiState, ctx: KeyContext): UiState {
  if (ctx.view.length === 0) return say(state, ctx, 'nothing to copy', 'info');
  const top = topIndex(state, ctx);
  const last = Math.min(ctx.view.length - 1, top + ctx.pageSize - 1);
  const seq = ctx.view.at(last)?.seq ?? 0;
  return { ...state, mode: { kind: 'copy', anchorSeq: seq, cursorSeq: seq }, scroll: anchorAt(ctx, top), focus: 'logs' };
}

export function select(state: UiState, ctx: KeyContext, by: number): UiState {
  if (ctx.instances.length === 0) return state;
  const current = Math.max(0, ctx.instances.findIndex((info) => info.id === state.selected));
  return selectAt(state, ctx, clamp(current + by, 0, ctx.instances.length - 1));
}

/** The index of the top visible line. */
export function topIndex(state: UiState, ctx: Pick<KeyContext, 'view' | 'pageSize'>): number {
  const last = Math.max(0, ctx.view.length - ctx.pageSize);
  return state.scroll.follow ? last : Math.min(last, indexAtOrAfter(ctx.view, state.scroll.topSeq));
}

export function anchorAt(ctx: KeyContext, index: number): UiState['scroll'] {
  const line = ctx.view.at(clamp(index, 0, ctx.view.length - 1));
  return line ? { follow: false, topSeq: line.seq } : { follow: true };
}

export function scrollBy(state: UiState, ctx: KeyContext, by: number): UiState {
  const last = Math.max(0, ctx.view.length - ctx.pageSize);
  const next = topIndex(state, ctx) + by;
  // Scrolling back down to the newest line resumes following, as in most log viewers.
  return { ...state, scroll: next >= last ? { follow: true } : anchorAt(ctx, Math.max(0, next)) };
}

export function toTop(state: UiState, ctx: KeyContext): UiState {
  return { ...state, scroll: ctx.view.length > ctx.pageSize ? anchorAt(ctx, 0) : { follow: true } };
}

/** Moves to the next match older (-1) or newer (+1) than the current one, and scrolls it into the middle. */
export function jump(state: UiState, ctx: KeyContext, direction: -1 | 1): UiState {
  if (state.query === undefined) return say(state, ctx, 'no search: press / first', 'info');
  const search = compileSearch(state.query);
  const from = state.matchSeq === undefined ? (direction < 0 ? ctx.view.length : -1) : indexAtOrAfter(ctx.view, state.matchSeq);
  for (let i = from + direction; i >= 0 && i < ctx.view.length; i += direction) {
    const line = ctx.view.at(i);
    if (line && matches(search, searchText(line))) {
      const top = Math.max(0, i - Math.floor(ctx.pageSize / 2));
      const last = Math.max(0, ctx.view.length - ctx.pageSize);
      return { ...state, matchSeq: line.seq, scroll: top >= last ? { follow: false, topSeq: ctx.view.at(last)?.seq ?? line.seq } : anchorAt(ctx, top) };
    }
  }
  return say(state, ctx, `/${state.query}/: no ${direction < 0 ? 'older' : 'newer'} match`, 'info');
}

export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
