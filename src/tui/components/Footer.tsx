import { Box, Text } from 'ink';
import { assertNever } from '../../model/assert.js';
import type { UiState } from '../ui-state.js';

export interface FooterProps {
  readonly ui: UiState;
  readonly mode: 'up' | 'attach';
  readonly width: number;
}

type Hint = readonly [key: string, what: string];

/** The keys that matter now: they change with the mode and the focus. */
export function hintsFor(ui: UiState, mode: 'up' | 'attach'): readonly Hint[] {
  const quit: Hint = ['q', mode === 'up' ? 'quit' : 'detach'];
  switch (ui.mode.kind) {
    case 'help':
      return [['any key', 'close help']];
    case 'search':
      return [['⏎', 'search'], ['esc', 'cancel']];
    case 'confirm':
      return [['y', `${ui.mode.action} all`], ['any other key', 'cancel']];
    case 'copy':
      return [['↑↓ jk', 'extend selection'], ['y ⏎', 'copy'], ['esc', 'cancel']];
    case 'normal': {
      const moves: Hint = ui.focus === 'table' ? ['↑↓', 'select'] : ['↑↓', 'scroll'];
      const focus: Hint = ui.focus === 'table' ? ['⏎', 'app logs'] : ['tab', 'table'];
      const search: readonly Hint[] = ui.query === undefined ? [['/', 'search']] : [['n/N', 'older/newer match'], ['/', 'search']];
      const all: Hint = ['a', ui.logTarget === 'all' ? 'one app' : 'all apps'];
      return [moves, focus, all, ['r', 'restart'], ['s', 'stop/start'], ...search, ['f', ui.scroll.follow ? 'pause' : 'follow'], ['w', 'wrap'], ['c', 'copy'], ['?', 'help'], quit];
    }
    default:
      return assertNever(ui.mode, 'mode');
  }
}

/** Least useful first to go when the line is too narrow; help and quit always stay. */
const DROP_ORDER: readonly string[] = ['w', 'c', 'f', 'tab', '⏎', 'a', 's', '↑↓', '/', 'n/N', 'r'];
const widthOf = (hints: readonly Hint[]): number => hints.reduce((sum, [key, what]) => sum + key.length + what.length + 3, 0);

export function fitHints(hints: readonly Hint[], width: number): readonly Hint[] {
  let kept = hints;
  for (const key of DROP_ORDER) {
    if (widthOf(kept) <= width) break;
    kept = kept.filter(([k]) => k !== key);
  }
  return kept;
}

export function Footer({ ui, mode, width }: FooterProps) {
  if (ui.mode.kind === 'search') {
    return (
      <Box width={width} height={1}>
        <Text wrap="truncate-end">
          <Text color="yellow">/</Text>
          <Text>{ui.mode.draft}</Text>
          <Text inverse> </Text>
          <Text dimColor>  ⏎ search · esc cancel · regex, case-insensitive unless the query has a capital</Text>
        </Text>
      </Box>
    );
  }
  if (ui.mode.kind === 'confirm') {
    return (
      <Box width={width} height={1}>
        <Text wrap="truncate-end" color="yellow">
          {ui.mode.action[0]?.toUpperCase()}
          {ui.mode.action.slice(1)} ALL processes? y = yes, any other key = no
        </Text>
      </Box>
    );
  }
  const message = ui.message;
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        {message ? <Text color={message.tone === 'error' ? 'red' : message.tone === 'ok' ? 'green' : 'yellow'}>{message.text}  </Text> : null}
        {fitHints(hintsFor(ui, mode), width - (message ? message.text.length + 2 : 0)).map(([key, what], i) => (
          <Text key={i}>
            {i > 0 ? '  ' : ''}
            <Text bold color="cyan">{key}</Text>
            <Text dimColor>{key === '' ? '' : ' '}{what}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
