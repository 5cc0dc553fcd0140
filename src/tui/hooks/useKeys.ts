import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';
import type { KeyPress } from '../ui-state.js';

const CONTROL_CHARS: Readonly<Record<string, KeyPress>> = {
  '\r': { kind: 'enter' },
  '\n': { kind: 'enter' },
  '\t': { kind: 'tab' },
  '\x7f': { kind: 'backspace' },
  '\b': { kind: 'backspace' },
  '\x03': { kind: 'ctrlC' },
};

/** An SGR mouse report (ESC [ < button ; column ; row M/m), as Ink passes it on without its ESC. */
const MOUSE = /^\x1b?\[<(\d+);(\d+);(\d+)([Mm])$/;

/** Presses of the left button and the wheel; releases, motion and other buttons mean nothing here. */
function mousePress(button: number, column: number, row: number, release: boolean): readonly KeyPress[] {
  if (release || (button & 32) !== 0) return [];
  if (button === 64) return [{ kind: 'scrollUp', column, row }];
  if (button === 65) return [{ kind: 'scrollDown', column, row }];
  return (button & 3) === 0 && button < 64 ? [{ kind: 'click', column, row }] : [];
}

/**
 * Ink's (input, key) pair as our key presses. Keys typed faster than they are read (tmux send-keys, a
 * paste) arrive as one string: each character counts, as if typed alone.
 */
export function toKeyPresses(input: string, key: Key): readonly KeyPress[] {
  const mouse = MOUSE.exec(input);
  if (mouse) return mousePress(Number(mouse[1]), Number(mouse[2]), Number(mouse[3]), mouse[4] === 'm');
  if (key.ctrl && input === 'c') return [{ kind: 'ctrlC' }];
  if (key.upArrow) return [{ kind: 'up' }];
  if (key.downArrow) return [{ kind: 'down' }];
  if (key.pageUp) return [{ kind: 'pageUp' }];
  if (key.pageDown) return [{ kind: 'pageDown' }];
  if (key.home) return [{ kind: 'home' }];
  if (key.end) return [{ kind: 'end' }];
  if (key.tab) return [{ kind: 'tab' }];
  if (key.return) return [{ kind: 'enter' }];
  if (key.escape) return [{ kind: 'escape' }];
  if (key.backspace || key.delete) return [{ kind: 'backspace' }];
  if (key.ctrl || key.meta || input === '') return [];
  return [...input].flatMap((char): readonly KeyPress[] => {
    const control = CONTROL_CHARS[char];
    if (control) return [control];
    return char < ' ' ? [] : [{ kind: 'char', char }];
  });
}

/**
 * Calls the handler of the latest render. Ink re-registers a changed input handler in a passive effect,
 * which can run after the frame is on screen: a key pressed then would reach the previous render's
 * handler, with its stale table (seen: `r` on an empty list right after the first frame).
 */
export function useKeys(onKey: (press: KeyPress) => void): void {
  const latest = useRef(onKey);
  latest.current = onKey;
  const handler = useCallback((input: string, key: Key) => {
    for (const press of toKeyPresses(input, key)) latest.current(press);
  }, []);
  useInput(handler);
}
