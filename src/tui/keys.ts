import { assertNever } from '../model/assert.js';
import type { InstanceInfo } from '../model/events.js';
import { isRunning, targetOf } from './format.js';
import { indexAtOrAfter, searchText } from './log-store.js';
import { anchorAt, clamp, enterCopy, jump, say, scrollBy, select, selectAt, selectedLines, tablePage, toTop, topIndex, WHEEL_LINES, type KeyContext } from './key-moves.js';
import { openFromHelp, togglePanel } from './panel-keys.js';
import { SORT_KEYS, type BulkAction, type Effect, type KeyPress, type Mode, type UiState } from './ui-state.js';

export { selectedLines, topIndex, type KeyContext } from './key-moves.js';

export interface KeyResult {
  readonly state: UiState;
  readonly effect?: Effect;
}

/** The whole keyboard, as a pure function: what a key does to the UI state, and which effect it asks for. */
export function handleKey(state: UiState, press: KeyPress, ctx: KeyContext): KeyResult {
  const calm = state.message ? { ...state, message: undefined } : state;
  if (press.kind === 'click' || press.kind === 'scrollUp' || press.kind === 'scrollDown') return state.mode.kind === 'normal' ? mouseKey(calm, press, ctx) : { state };
  switch (state.mode.kind) {
    case 'help':
      return { state: openFromHelp({ ...calm, mode: NORMAL }, press, ctx) };
    case 'search':
      return searchKey(calm, state.mode.draft, press, ctx);
    case 'filter':
      return filterKey(calm, state.mode.draft, press);
    case 'leave':
      return leaveKey(calm, press, ctx);
    case 'detail':
      return press.kind === 'char' && press.char === 'q' ? normalKey(calm, press, ctx) : { state: { ...calm, mode: NORMAL } };
    case 'confirm':
      return confirmKey(calm, state.mode.action, press, ctx);
    case 'copy':
      return copyKey(calm, state.mode, press, ctx);
    case 'normal':
      return normalKey(calm, press, ctx);
    default:
      return assertNever(state.mode, 'mode');
  }
}

const NORMAL: Mode = { kind: 'normal' };

/** q and Ctrl-C: ask, unless told not to (up --yes). */
function leave(state: UiState, ctx: KeyContext): KeyResult {
  if (ctx.confirmQuit) return { state: { ...state, mode: { kind: 'leave' } } };
  return { state, effect: { kind: 'leave', how: ctx.mode === 'up' ? 'stop' : 'detach' } };
}

/** In the question: s stops everything, d detaches; q or Ctrl-C again gives the mode's usual meaning. */
function leaveKey(state: UiState, press: KeyPress, ctx: KeyContext): KeyResult {
  const key = press.kind === 'char' ? press.char : press.kind;
  const usual = ctx.mode === 'up' ? 'stop' : 'detach';
  switch (key) {
    case 's':
    case 'y':
      return { state: { ...state, mode: NORMAL }, effect: { kind: 'leave', how: 'stop' } };
    case 'd':
      return { state: { ...state, mode: NORMAL }, effect: { kind: 'leave', how: 'detach' } };
    case 'q':
    case 'ctrlC':
      return { state: { ...state, mode: NORMAL }, effect: { kind: 'leave', how: usual } };
    default:
      return { state: say({ ...state, mode: NORMAL }, ctx, 'cancelled: still running', 'info') };
  }
}

function filterKey(state: UiState, draft: string, press: KeyPress): KeyResult {
  switch (press.kind) {
    case 'char':
      return { state: { ...state, mode: { kind: 'filter', draft: draft + press.char }, filter: draft + press.char } };
    case 'backspace': {
      const next = draft.slice(0, -1);
      return { state: { ...state, mode: { kind: 'filter', draft: next }, filter: next === '' ? undefined : next } };
    }
    case 'escape':
    case 'ctrlC':
      return { state: { ...state, mode: NORMAL, filter: undefined } };
    case 'enter':
      return { state: { ...state, mode: NORMAL, focus: 'table', filter: draft === '' ? undefined : draft } };
    default:
      return { state };
  }
}

/** A click selects the row under it (or focuses the logs); the wheel scrolls what is under the pointer. */
function mouseKey(state: UiState, press: Extract<KeyPress, { kind: 'click' | 'scrollUp' | 'scrollDown' }>, ctx: KeyContext): KeyResult {
  const row = press.row - 1;
  const { table } = ctx;
  const overTable = row >= table.firstRow - 1 && row < table.firstRow + table.rows;
  if (press.kind === 'click') {
    if (overTable && row >= table.firstRow) {
      const info = ctx.instances[table.firstIndex + row - table.firstRow];
      return { state: info ? { ...state, focus: 'table', selected: info.id, scroll: state.logTarget === 'selected' ? { follow: true } : state.scroll } : state };
    }
    return { state: row >= ctx.logRow ? { ...state, focus: 'logs' } : state };
  }
  const by = press.kind === 'scrollUp' ? -1 : 1;
  if (overTable) return { state: select(state, ctx, by * WHEEL_LINES) };
  return { state: row >= ctx.logRow ? scrollBy(state, ctx, by * WHEEL_LINES) : state };
}

function normalKey(state: UiState, press: KeyPress, ctx: KeyContext): KeyResult {
  if (press.kind === 'char') return charKey(state, press.char, ctx);
  const table = state.focus === 'table';
  switch (press.kind) {
    case 'ctrlC':
      return leave(state, ctx);
    case 'click':
    case 'scrollUp':
    case 'scrollDown':
      return mouseKey(state, press, ctx);
    case 'up':
      return { state: state.focus === 'table' ? select(state, ctx, -1) : scrollBy(state, ctx, -1) };
    case 'down':
      return { state: state.focus === 'table' ? select(state, ctx, 1) : scrollBy(state, ctx, 1) };
    case 'wheelUp':
      return { state: scrollBy(state, ctx, -WHEEL_LINES) };
    case 'wheelDown':
      return { state: scrollBy(state, ctx, WHEEL_LINES) };
    case 'pageUp':
      return { state: table ? tablePage(state, ctx, -1) : scrollBy(state, ctx, -Math.max(1, ctx.pageSize - 1)) };
    case 'pageDown':
      return { state: table ? tablePage(state, ctx, 1) : scrollBy(state, ctx, Math.max(1, ctx.pageSize - 1)) };
    case 'home':
      return { state: table ? selectAt(state, ctx, 0) : toTop(state, ctx) };
    case 'end':
      return { state: table ? selectAt(state, ctx, -1) : { ...state, scroll: { follow: true } } };
    case 'tab':
      return { state: { ...state, focus: state.focus === 'table' ? 'logs' : 'table' } };
    case 'enter':
      return { state: { ...state, focus: 'logs', logTarget: 'selected', scroll: { follow: true } } };
    case 'escape':
      if (state.panel !== undefined) return { state: { ...state, panel: undefined } };
      if (state.focus === 'logs') return { state: { ...state, focus: 'table' } };
      return { state: state.filter !== undefined ? { ...state, filter: undefined } : { ...state, query: undefined, matchSeq: undefined } };
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
      return leave(state, ctx);
    case '?':
      return { state: { ...state, mode: { kind: 'help' } } };
    case 'k':
      return normalKey(state, { kind: 'up' }, ctx);
    case 'j':
      return normalKey(state, { kind: 'down' }, ctx);
    case 'g':
      return normalKey(state, { kind: 'home' }, ctx);
    case 'G':
      return normalKey(state, { kind: 'end' }, ctx);
    case 'a':
      return { state: { ...state, logTarget: state.logTarget === 'all' ? 'selected' : 'all', scroll: { follow: true }, matchSeq: undefined } };
    case 'p':
    case ' ':
      return { state: { ...state, scroll: state.scroll.follow ? anchorAt(ctx, topIndex(state, ctx)) : { follow: true } } };
    case 'f':
      return { state: { ...state, focus: 'table', mode: { kind: 'filter', draft: state.filter ?? '' } } };
    case 'o': {
      const sort = SORT_KEYS[(SORT_KEYS.indexOf(state.sort) + 1) % SORT_KEYS.length] ?? 'name';
      return { state: say({ ...state, sort }, ctx, `sorted by ${sort}`, 'info') };
    }
    case 'i':
      // A worker's row too: the panel asks that node for the instance's spec through the master.
      return selected ? { state: { ...state, mode: { kind: 'detail', id: selected.id } } } : { state };
    case 'd':
      return ctx.workerOf ? { state: { ...state, nodes: !state.nodes, panel: undefined } } : { state: say(state, ctx, 'no cluster: this supervisor is no federation master', 'info') };
    case 'm':
      return { state: say({ ...state, mouse: !state.mouse }, ctx, state.mouse ? 'mouse off: the terminal selects text' : 'mouse on: click selects, wheel scrolls', 'info'), effect: { kind: 'mouse', on: !state.mouse } };
    case 'w':
      return { state: { ...state, wrap: !state.wrap } };
    case 't':
      return { state: { ...state, timestamps: !state.timestamps } };
    case 'J':
      return { state: say({ ...state, json: !state.json }, ctx, state.json ? 'JSON lines as written' : 'JSON lines pretty (search and copy see them as written)', 'info') };
    case '/':
      return { state: { ...state, mode: { kind: 'search', draft: '' } } };
    case 'n':
      return { state: jump(state, ctx, -1) };
    case 'N':
      return { state: jump(state, ctx, 1) };
    case 'r':
      return selected ? { state, effect: actionOn(selected, 'restart', ctx) } : { state };
    case 's':
      return selected ? { state, effect: actionOn(selected, isRunning(selected.state.status) ? 'stop' : 'start', ctx) } : { state };
    case 'R':
      return { state: { ...state, mode: { kind: 'confirm', action: 'restart' } } };
    case 'S':
      return { state: { ...state, mode: { kind: 'confirm', action: ctx.instances.some((info) => isRunning(info.state.status)) ? 'stop' : 'start' } } };
    case 'c':
      return { state: enterCopy(state, ctx) };
    default:
      return { state: togglePanel(state, ctx.panels?.find((panel) => panel.key === char)) };
  }
}

/** An action on one row: on its own node, through the master when that is a worker. */
function actionOn(info: InstanceInfo, action: BulkAction, ctx: KeyContext): Effect {
  const target = targetOf(info, ctx.all);
  const node = ctx.workerOf?.(info);
  return node === undefined ? { kind: 'action', action, target } : { kind: 'action', action, target, node };
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
      return { state: searched.matchSeq === undefined ? say(searched, ctx, `no match for /${draft}/`, 'error') : searched };
    }
    default:
      return { state };
  }
}

/** y: every process of this supervisor; on a federation master, a: every process of every node. */
function confirmKey(state: UiState, action: BulkAction, press: KeyPress, ctx: KeyContext): KeyResult {
  const key = press.kind === 'char' ? press.char : '';
  if (key === 'y' || key === 'Y') return { state: { ...state, mode: NORMAL }, effect: { kind: 'action', action, target: 'all' } };
  if ((key === 'a' || key === 'A') && ctx.workerOf) return { state: { ...state, mode: NORMAL }, effect: { kind: 'action', action, target: 'all', node: 'all' } };
  return { state: say({ ...state, mode: NORMAL }, ctx, `${action} all: cancelled`, 'info') };
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
      const text = lines.map((line) => (state.logTarget === 'all' ? `${line.id} | ${searchText(line)}` : searchText(line))).join('\n');
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

