import { Box, Text } from 'ink';
import { assertNever } from '../../model/assert.js';
import { MESSAGE_MS, type BulkAction, type UiState } from '../ui-state.js';

export interface FooterProps {
  readonly ui: UiState;
  readonly mode: 'up' | 'attach';
  readonly width: number;
  /** Messages older than MESSAGE_MS are no longer shown. */
  readonly now: number;
  /** On a federation master: `d` shows the nodes. */
  readonly cluster?: boolean;
  /** On a federation master: its name and how many nodes the mesh has, for R and S to ask where they act. */
  readonly mesh?: MeshScope | undefined;
}

export interface MeshScope {
  readonly self: string;
  readonly nodes: number;
}

/** What R and S ask: on a federation master, whether they act on this node's processes or every node's. */
export function confirmQuestion(action: BulkAction, mesh: MeshScope | undefined): string {
  const verb = `${action[0]?.toUpperCase() ?? ''}${action.slice(1)}`;
  if (!mesh) return `${verb} ALL processes? y = yes, any other key = no`;
  return `${verb} ALL processes — y = on ${mesh.self} only (this node) · a = on all ${mesh.nodes} nodes · any other key = no`;
}

/** The question q asks, in the same words in `up` and `attach`; the default (q again) comes first. */
export function leaveQuestion(mode: 'up' | 'attach'): string {
  const stop = 's = stop everything';
  const detach = 'd = detach (everything keeps running)';
  return mode === 'up' ? `Quit? ${stop} (or q) · ${detach} · any other key = cancel` : `Leave? ${detach} (or q) · ${stop} · any other key = cancel`;
}

type Hint = readonly [key: string, what: string];

/** The keys that matter now: they change with the mode and the focus. */
export function hintsFor(ui: UiState, mode: 'up' | 'attach', cluster = false): readonly Hint[] {
  const quit: Hint = ['q', mode === 'up' ? 'quit' : 'detach'];
  switch (ui.mode.kind) {
    case 'help':
    case 'detail':
      return [['any key', 'close']];
    case 'search':
      return [['⏎', 'search'], ['esc', 'cancel']];
    case 'filter':
      return [['⏎', 'keep the filter'], ['esc', 'clear it']];
    case 'leave':
      return [['s', 'stop everything'], ['d', 'detach'], ['any other key', 'cancel']];
    case 'confirm':
      return [['y', `${ui.mode.action} all`], ['any other key', 'cancel']];
    case 'copy':
      return [['↑↓ jk', 'extend selection'], ['y ⏎', 'copy'], ['esc', 'cancel']];
    case 'normal': {
      const moves: Hint = ui.focus === 'table' ? ['↑↓', 'select'] : ['↑↓', 'scroll'];
      const focus: Hint = ui.focus === 'table' ? ['⏎', 'app logs'] : ['tab', 'table'];
      const search: readonly Hint[] = ui.query === undefined ? [['/', 'search']] : [['n/N', 'older/newer match'], ['/', 'search']];
      const all: Hint = ['a', ui.logTarget === 'all' ? 'one app' : 'all apps'];
      const nodes: readonly Hint[] = cluster ? [['d', ui.nodes ? 'logs' : 'nodes']] : [];
      return [moves, focus, all, ['r', 'restart'], ['s', 'stop/start'], ['f', 'filter'], ...nodes, ['o', 'sort'], ['i', 'detail'], ...search, ['p', ui.scroll.follow ? 'pause' : 'follow'], ['w', 'wrap'], ['c', 'copy'], ['?', 'help'], quit];
    }
    default:
      return assertNever(ui.mode, 'mode');
  }
}

/** Least useful first to go when the line is too narrow; help and quit always stay. */
const DROP_ORDER: readonly string[] = ['w', 'c', 'o', 'i', 'p', 'tab', '⏎', 'a', 'd', 's', '↑↓', 'f', '/', 'n/N', 'r'];
const widthOf = (hints: readonly Hint[]): number => hints.reduce((sum, [key, what]) => sum + key.length + what.length + 3, 0);

export function fitHints(hints: readonly Hint[], width: number): readonly Hint[] {
  let kept = hints;
  for (const key of DROP_ORDER) {
    if (widthOf(kept) <= width) break;
    kept = kept.filter(([k]) => k !== key);
  }
  return kept;
}

export function Footer({ ui, mode, width, now, cluster = false, mesh }: FooterProps) {
  if (ui.mode.kind === 'leave') {
    return (
      <Box width={width} height={1}>
        <Text wrap="truncate-end" color="yellow">
          {leaveQuestion(mode)}
        </Text>
      </Box>
    );
  }
  if (ui.mode.kind === 'filter') {
    return (
      <Box width={width} height={1}>
        <Text wrap="truncate-end">
          <Text color="yellow">filter: </Text>
          <Text>{ui.mode.draft}</Text>
          <Text inverse> </Text>
          <Text dimColor>  ⏎ keep · esc clear · matches names and app:index</Text>
        </Text>
      </Box>
    );
  }
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
          {confirmQuestion(ui.mode.action, mesh)}
        </Text>
      </Box>
    );
  }
  const message = ui.message && Math.max(now, Date.now()) - ui.message.at < MESSAGE_MS ? ui.message : undefined;
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        {message ? <Text color={message.tone === 'error' ? 'red' : message.tone === 'ok' ? 'green' : 'yellow'}>{message.text}  </Text> : null}
        {fitHints(hintsFor(ui, mode, cluster), width - (message ? message.text.length + 2 : 0)).map(([key, what], i) => (
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
