import { Box, Text } from 'ink';

const KEYS: readonly (readonly [string, string])[] = [
  ['↑ ↓  j k', 'select a process (table) / scroll (logs)'],
  ['tab', 'move focus between the table and the logs'],
  ['⏎', 'show the selected process\'s logs and focus them'],
  ['a', 'switch between all apps merged and the selected process'],
  ['r', 'restart the selected process'],
  ['s', 'stop the selected process, or start it if it is not running'],
  ['R  S', 'restart / stop (or start) ALL, after a confirmation'],
  ['/', 'search (regex; case-insensitive unless the query has a capital)'],
  ['n  N', 'jump to the older / newer match'],
  ['esc', 'leave the logs; clear the search'],
  ['f', 'follow new lines on / off'],
  ['w', 'wrap long lines on / off'],
  ['PgUp PgDn  g G', 'page up / down, oldest / newest line'],
  ['c', 'copy mode: ↑↓ extend, y or ⏎ copies (OSC 52 and a file)'],
  ['?', 'this help'],
];

export function Help({ width, height, mode }: { readonly width: number; readonly height: number; readonly mode: 'up' | 'attach' }) {
  const rows = [...KEYS, ['q  ctrl-c', mode === 'up' ? 'quit: stops every process gracefully' : 'detach: everything keeps running'] as const];
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden" borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>Keys</Text>
      {rows.map(([key, what]) => (
        <Text key={key} wrap="truncate-end">
          <Text color="cyan">{key.padEnd(16)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
