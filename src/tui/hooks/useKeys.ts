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

/**
 * Ink's (input, key) pair as our key presses. Keys typed faster than they are read (tmux send-keys, a
 * paste) arrive as one string: each character counts, as if typed alone.
 */
export function toKeyPresses(input: string, key: Key): readonly KeyPress[] {
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
