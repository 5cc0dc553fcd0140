import type { InstanceId } from '../model/ids.js';

export type Focus = 'table' | 'logs';

/** Following shows the newest lines; otherwise the view is anchored on the seq of its top line. */
export type Scroll = { readonly follow: true } | { readonly follow: false; readonly topSeq: number };

export type BulkAction = 'restart' | 'stop' | 'start';

export type Mode =
  | { readonly kind: 'normal' }
  | { readonly kind: 'help' }
  | { readonly kind: 'search'; readonly draft: string }
  | { readonly kind: 'confirm'; readonly action: BulkAction }
  | { readonly kind: 'copy'; readonly anchorSeq: number; readonly cursorSeq: number };

export type Tone = 'info' | 'ok' | 'error';

export interface Message {
  readonly text: string;
  readonly tone: Tone;
}

export interface UiState {
  readonly focus: Focus;
  readonly selected: InstanceId | undefined;
  /** All apps merged, or the selected instance only. */
  readonly logTarget: 'all' | 'selected';
  readonly scroll: Scroll;
  readonly wrap: boolean;
  readonly query: string | undefined;
  /** The seq of the current search match (n / N move it). */
  readonly matchSeq: number | undefined;
  readonly mode: Mode;
  readonly message: Message | undefined;
}

export const INITIAL_UI: UiState = {
  focus: 'table',
  selected: undefined,
  logTarget: 'all',
  scroll: { follow: true },
  wrap: false,
  query: undefined,
  matchSeq: undefined,
  mode: { kind: 'normal' },
  message: undefined,
};

/** A side effect a key asks for: the App runs it against the Controller or the terminal. */
export type Effect =
  | { readonly kind: 'action'; readonly action: BulkAction; readonly target: string }
  | { readonly kind: 'quit' }
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
    };
