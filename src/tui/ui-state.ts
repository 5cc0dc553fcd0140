import type { InstanceId } from '../model/ids.js';

export type Focus = 'table' | 'logs';

/** Following shows the newest lines; otherwise the view is anchored on the seq of its top line. */
export type Scroll = { readonly follow: true } | { readonly follow: false; readonly topSeq: number };

export type BulkAction = 'restart' | 'stop' | 'start';

export type Mode =
  | { readonly kind: 'normal' }
  | { readonly kind: 'help' }
  | { readonly kind: 'search'; readonly draft: string }
  | { readonly kind: 'filter'; readonly draft: string }
  | { readonly kind: 'confirm'; readonly action: BulkAction }
  /** q or Ctrl-C: stop everything, detach (everything keeps running) or cancel. */
  | { readonly kind: 'leave' }
  /** The detail panel of one instance, in place of the log pane. */
  | { readonly kind: 'detail'; readonly id: InstanceId }
  | { readonly kind: 'copy'; readonly anchorSeq: number; readonly cursorSeq: number };

export type Tone = 'info' | 'ok' | 'error';

/** How long a footer message stays. */
export const MESSAGE_MS = 5000;

export interface Message {
  readonly text: string;
  readonly tone: Tone;
  /** When it was said: it expires MESSAGE_MS later. */
  readonly at: number;
}

export type SortKey = 'name' | 'status' | 'cpu' | 'mem' | 'restarts';
export const SORT_KEYS: readonly SortKey[] = ['name', 'status', 'cpu', 'mem', 'restarts'];

export interface UiState {
  readonly focus: Focus;
  readonly selected: InstanceId | undefined;
  /** All apps merged, or the selected instance only. */
  readonly logTarget: 'all' | 'selected';
  readonly scroll: Scroll;
  readonly wrap: boolean;
  /** The log pane's timestamp column. */
  readonly timestamps: boolean;
  /** JSON lines shown pretty. */
  readonly json: boolean;
  readonly query: string | undefined;
  /** The seq of the current search match (n / N move it). */
  readonly matchSeq: number | undefined;
  readonly mode: Mode;
  readonly message: Message | undefined;
  /** The table shows only instances whose name contains this (case-insensitive). */
  readonly filter: string | undefined;
  readonly sort: SortKey;
  /** Mouse reporting: off lets the terminal select text again. */
  readonly mouse: boolean;
  /** The nodes panel (a federation master only) in place of the log pane. */
  readonly nodes: boolean;
  /** The plugin panel shown in place of the log pane (`<plugin>/<panel id>`), if any. */
  readonly panel: string | undefined;
}

export const INITIAL_UI: UiState = {
  focus: 'table',
  selected: undefined,
  logTarget: 'all',
  scroll: { follow: true },
  wrap: false,
  timestamps: false,
  json: false,
  query: undefined,
  matchSeq: undefined,
  mode: { kind: 'normal' },
  message: undefined,
  filter: undefined,
  sort: 'name',
  mouse: true,
  nodes: false,
  panel: undefined,
};

/** A side effect a key asks for: the App runs it against the Controller or the terminal. */
export type Effect =
  /** With `node` (a worker's name, or `all`), the action runs there (as `--node` does), through the master. */
  | { readonly kind: 'action'; readonly action: BulkAction; readonly target: string; readonly node?: string }
  /** Leave the view: stop everything, or detach and leave everything running. */
  | { readonly kind: 'leave'; readonly how: 'stop' | 'detach' }
  | { readonly kind: 'mouse'; readonly on: boolean }
  | { readonly kind: 'copy'; readonly text: string; readonly lines: number };

/** A key press, normalised from Ink's (input, key) pair. */
export type KeyPress =
  | { readonly kind: 'char'; readonly char: string }
  | {
      readonly kind:
        | 'up'
        | 'down'
        | 'pageUp'
        | 'pageDown'
        | 'home'
        | 'end'
        | 'tab'
        | 'enter'
        | 'escape'
        | 'backspace'
        | 'ctrlC'
        | 'wheelUp'
        | 'wheelDown';
    }
  /** A mouse button press at a screen cell (1-based column and row, as the terminal reports them). */
  | { readonly kind: 'click' | 'scrollUp' | 'scrollDown'; readonly column: number; readonly row: number };
