import { useCallback, useRef, useState } from 'react';
import { INITIAL_UI, type UiState } from '../ui-state.js';

/**
 * UI state with a synchronous reader: several keys can arrive in one stdin chunk, and each must see the
 * state the previous one left, before React re-renders.
 */
export function useUiState(): readonly [UiState, () => UiState, (next: UiState | ((prev: UiState) => UiState)) => void] {
  const [state, setState] = useState<UiState>(INITIAL_UI);
  const ref = useRef<UiState>(INITIAL_UI);
  const get = useCallback(() => ref.current, []);
  const set = useCallback((next: UiState | ((prev: UiState) => UiState)) => {
    ref.current = typeof next === 'function' ? next(ref.current) : next;
    setState(ref.current);
  }, []);
  return [state, get, set] as const;
}
