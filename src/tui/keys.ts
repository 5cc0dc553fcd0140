import type { InstanceInfo } from '../model/events.js';
import { assertNever } from '../model/assert.js';
import { isRunning, targetOf } from './format.js';
import { indexAtOrAfter, type LogView, type TuiLine } from './log-store.js';
import { compileSearch, matches } from './search.js';
import type { BulkAction, Effect, KeyPress, Mode, UiState } from './ui-state.js';

export interface KeyContext {
  /** The table's rows, in order. */
  readonly instances: readonly InstanceInfo[];
  /** The lines the log pane shows now. */
  readonly view: LogView;
  /** How many log lines fit in the pane. */
  readonly pageSize: number;
  readonly mode: 'up' | 'attach';
}

export interface KeyResult {
  readonly state: UiState;
  readonly effect?: Effect;
}

const WHEEL_LINES = 3;

/** The whole keyboard, as a pure function: what a key does to the UI state, and which effect it asks for. */
export function handleKey(state: UiState, press: KeyPress, ctx: KeyContext): KeyResult {
  const calm = state.message ? { ...state, message: undefined } : state;
  switch (state.mode.kind) {
    case 'help':
      return { state: { ...calm, mode: NORMAL } };
    case 'search':
      return searchKey(calm, state.mode.draft, press, ctx);
    case 'confirm':
      return confirmKey(calm, state.mode.action, press);
    case 'copy':
      return copyKey(calm, state.mode, press, ctx);
    case 'normal':
      return normalKey(calm, press, ctx);
    default:
      return assertNever(state.mode, 'mode');
  }
}

const NORMAL: Mode = { kind: 'normal' };

function normalKey(state: UiState, press: KeyPress, ctx: KeyContext): KeyResult {
  if (press.kind === 'char') return charKey(state, press.char, ctx);
  switch (press.kind) {
    case 'ctrlC':
      return { state, effect: { kind: 'quit' } };
    case 'up':
      return { state: state.focus === 'table' ? select(state, ctx, -1) : scrollBy(state, ctx, -1) };
    case 'down':
      return { state: state.focus === 'table' ? select(state, ctx, 1) : scrollBy(state, ctx, 1) };
    case 'wheelUp':
      return { state: scrollBy(state, ctx, -WHEEL_LINES) };
    case 'wheelDown':
      return { state: scrollBy(state, ctx, WHEEL_LINES) };
    case 'pageUp':
      return { state: scrollBy(state, ctx, -Math.max(1, ctx.pageSize - 1)) };
    case 'pageDown':
      return { state: scrollBy(state, ctx, Math.max(1, ctx.pageSize - 1)) };
    case 'home':
      return { state: toTop(state, ctx) };
    case 'end':
      return { state: { ...state, scroll: { follow: true } } };
    case 'tab':
      return { state: { ...state, focus: state.focus === 'table' ? 'logs' : 'table' } };
    case 'enter':
      return { state: { ...state, focus: 'logs', logTarget: 'selected', scroll: { follow: true } } };
    case 'escape':
      return { state: state.focus === 'logs' ? { ...state, focus: 'table' } : { ...state, query: undefined, matchSeq: undefined } };
    case 'backspace':
      return { state };
    default:
      return assertNever(press, 'key');
  }
}

function charKey(state: UiState, char: string, ctx: KeyContext): KeyResult {
  const selected = ctx.instances.find((info) => info.id === state.selected) ?? ctx.instances[0];
  switch (char) {
    case 'q':
      return { state, effect: { kind: 'quit' } };
    case '?':
      return { state: { ...state, mode: { kind: 'help' } } };
    case 'k':
      return normalKey(state, { kind: 'up' }, ctx);
    case 'j':
      return normalKey(state, { kind: 'down' }, ctx);
    case 'g':
      return { state: toTop(state, ctx) };
    case 'G':
      return { state: { ...state, scroll: { follow: true } } };
    case 'a':
      return { state: { ...state, logTarget: state.logTarget === 'all' ? 'selected' : 'all', scroll: { follow: true }, matchSeq: undefined } };
    case 'f':
      return { state: { ...state, scroll: state.scroll.follow ? anchorAt(ctx, topIndex(state, ctx)) : { follow: true } } };
    case 'w':
      return { state: { ...state, wrap: !state.wrap } };
    case '/':
      return { state: { ...state, mode: { kind: 'search', draft: '' } } };
    case 'n':
      return { state: jump(state, ctx, -1) };
    case 'N':
      return { state: jump(state, ctx, 1) };
    case 'r':
      return selected ? { state, effect: { kind: 'action', action: 'restart', target: targetOf(selected, ctx.instances) } } : { state };
    case 's':
      return selected ? { state, effect: { kind: 'action', action: isRunning(selected.state.status) ? 'stop' : 'start', target: targetOf(selected, ctx.instances) } } : { state };
    case 'R':
      return { state: { ...state, mode: { kind: 'confirm', action: 'restart' } } };
    case 'S':
      return { state: { ...state, mode: { kind: 'confirm', action: ctx.instances.some((info) => isRunning(info.state.status)) ? 'stop' : 'start' } } };
    case 'c':
      return { state: enterCopy(state, ctx) };
    default:
      return { state };
  }
}

function searchKey(state: UiState, draft: string, press: KeyPress, ctx: KeyContext): KeyResult {
  switch (press.kind) {
    case 'char':
      return { state: { ...state, mode: { kind: 'search', draft: draft + press.char } } };
    case 'backspace':
      return { state: { ...state, mode: { kind: 'search', draft: draft.slice(0, -1) } } };
    case 'escape':
    case 'ctrlC':
      return { state: { ...state, mode: NORMAL } };
    case 'enter': {
      if (draft === '') return { state: { ...state, mode: NORMAL, query: undefined, matchSeq: undefined } };
      const searched = jump({ ...state, mode: NORMAL, query: draft, matchSeq: undefined, scroll: { follow: true } }, ctx, -1);
      return { state: searched.matchSeq === undefined ? { ...searched, message: { text: `no match for /${draft}/`, tone: 'error' } } : searched };
    }
    default:
      return { state };
  }
}

function confirmKey(state: UiState, action: BulkAction, press: KeyPress): KeyResult {
  if (press.kind === 'char' && (press.char === 'y' || press.char === 'Y')) return { state: { ...state, mode: NORMAL }, effect: { kind: 'action', action, target: 'all' } };
  return { state: { ...state, mode: NORMAL, message: { text: `${action} all: cancelled`, tone: 'info' } } };
}

function copyKey(state: UiState, mode: Extract<Mode, { kind: 'copy' }>, press: KeyPress, ctx: KeyContext): KeyResult {
  const key = press.kind === 'char' ? press.char : press.kind;
  const cursor = indexAtOrAfter(ctx.view, mode.cursorSeq);
  const move = (by: number): KeyResult => {
    const index = clamp(cursor + by, 0, ctx.view.length - 1);
    const seq = ctx.view.at(index)?.seq ?? mode.cursorSeq;
    const top = topIndex(state, ctx);
    const newTop = index < top ? index : index >= top + ctx.pageSize ? index - ctx.pageSize + 1 : top;
    return { state: { ...state, mode: { ...mode, cursorSeq: seq }, scroll: anchorAt(ctx, newTop) } };
  };
  switch (key) {
    case 'up':
    case 'k':
      return move(-1);
    case 'down':
    case 'j':
      return move(1);
    case 'pageUp':
      return move(-Math.max(1, ctx.pageSize - 1));
    case 'pageDown':
      return move(Math.max(1, ctx.pageSize - 1));
    case 'y':
    case 'c':
    case 'enter': {
      const lines = selectedLines(ctx.view, mode.anchorSeq, mode.cursorSeq);
      const text = lines.map((line) => (ctx.view.length > 0 && state.logTarget === 'all' ? `${line.id} | ${line.plain}` : line.plain)).join('\n');
      return { state: { ...state, mode: NORMAL }, effect: { kind: 'copy', text, lines: lines.length } };
    }
    case 'escape':
    case 'q':
    case 'ctrlC':
      return { state: { ...state, mode: NORMAL } };
    default:
      return { state };
  }
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

function enterCopy(state: UiState, ctx: KeyContext): UiState {
  if (ctx.view.length === 0) return { ...state, message: { text: 'nothing to copy', tone: 'info' } };
  const top = topIndex(state, ctx);
  const last = Math.min(ctx.view.length - 1, top + ctx.pageSize - 1);
  const seq = ctx.view.at(last)?.seq ?? 0;
  return { ...state, mode: { kind: 'copy', anchorSeq: seq, cursorSeq: seq }, scroll: anchorAt(ctx, top), focus: 'logs' };
}

function select(state: UiState, ctx: KeyContext, by: number): UiState {
  if (ctx.instances.length === 0) return state;
  const current = Math.max(0, ctx.instances.findIndex((info) => info.id === state.selected));
  const next = ctx.instances[clamp(current + by, 0, ctx.instances.length - 1)];
  return { ...state, selected: next?.id, scroll: state.logTarget === 'selected' ? { follow: true } : state.scroll };
}

/** The index of the top visible line. */
export function topIndex(state: UiState, ctx: Pick<KeyContext, 'view' | 'pageSize'>): number {
  const last = Math.max(0, ctx.view.length - ctx.pageSize);
  return state.scroll.follow ? last : Math.min(last, indexAtOrAfter(ctx.view, state.scroll.topSeq));
}

function anchorAt(ctx: KeyContext, index: number): UiState['scroll'] {
  const line = ctx.view.at(clamp(index, 0, ctx.view.length - 1));
  return line ? { follow: false, topSeq: line.seq } : { follow: true };
}

function scrollBy(state: UiState, ctx: KeyContext, by: number): UiState {
  const last = Math.max(0, ctx.view.length - ctx.pageSize);
  const next = topIndex(state, ctx) + by;
  // Scrolling back down to the newest line resumes following, as in most log viewers.
  return { ...state, scroll: next >= last ? { follow: true } : anchorAt(ctx, Math.max(0, next)) };
}

function toTop(state: UiState, ctx: KeyContext): UiState {
  return { ...state, scroll: ctx.view.length > ctx.pageSize ? anchorAt(ctx, 0) : { follow: true } };
}

/** Moves to the next match older (-1) or newer (+1) than the current one, and scrolls it into the middle. */
function jump(state: UiState, ctx: KeyContext, direction: -1 | 1): UiState {
  if (state.query === undefined) return { ...state, message: { text: 'no search: press / first', tone: 'info' } };
  const search = compileSearch(state.query);
  const from = state.matchSeq === undefined ? (direction < 0 ? ctx.view.length : -1) : indexAtOrAfter(ctx.view, state.matchSeq);
  for (let i = from + direction; i >= 0 && i < ctx.view.length; i += direction) {
    const line = ctx.view.at(i);
    if (line && matches(search, line.plain)) {
      const top = Math.max(0, i - Math.floor(ctx.pageSize / 2));
      const last = Math.max(0, ctx.view.length - ctx.pageSize);
      return { ...state, matchSeq: line.seq, scroll: top >= last ? { follow: false, topSeq: ctx.view.at(last)?.seq ?? line.seq } : anchorAt(ctx, top) };
    }
  }
  return { ...state, message: { text: `/${state.query}/: no ${direction < 0 ? 'older' : 'newer'} match`, tone: 'info' } };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
