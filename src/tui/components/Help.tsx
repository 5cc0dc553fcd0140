import { Box, Text } from 'ink';
import type { PluginPanelView } from '../../model/plugin.js';
import { keylessPanels } from '../panel-keys.js';

type Entry = readonly [keys: string, what: string];

const KEYS: readonly Entry[] = [
  ['↑ ↓  j k', 'select (table) / scroll (logs)'],
  ['PgUp PgDn g G', 'a page up / down, first / last (rows or lines)'],
  ['tab  ⏎', 'switch focus · show the selected app\'s logs'],
  ['a', 'all apps merged / the selected instance only'],
  ['f', 'filter by name, or node:nas by node (esc clears)'],
  ['d', 'nodes of the cluster: state, rtt, seen, version'],
  ['o', 'sort by name, status, cpu, mem, restarts'],
  ['i', 'details of the selected instance (on any node)'],
  ['r  s', 'restart / stop (or start) the selected instance'],
  ['R  S', 'restart / stop (or start) ALL, asking: this node / all'],
  ['/  n N', 'search logs (regex, smart case) · older / newer'],
  ['p  space', 'pause (the pane holds still) / follow'],
  ['w  t  J', 'wrap long lines · timestamps · JSON lines pretty'],
  ['c', 'copy mode: ↑↓ extend, y or ⏎ copies'],
  ['m', 'mouse on / off (off: the terminal selects text)'],
  ['esc', 'back to the table; clear the filter or search'],
  ['?', 'this help (any key closes it)'],
];

const KEY_WIDTH = 15;

/** Plugin panels: a keyed one by its key; the others by a number pressed here, in the help. */
function panelEntries(panels: readonly PluginPanelView[]): readonly Entry[] {
  const keyless = keylessPanels({ panels });
  return panels.flatMap((panel): Entry[] => {
    const what = `panel ${panel.title} (plugin ${panel.plugin}), esc closes`;
    if (panel.key !== undefined) return [[panel.key, what]];
    const number = keyless.indexOf(panel) + 1;
    return number > 0 ? [[String(number), `${what}: press the number here`]] : [];
  });
}

/** The keys, cut to the box: a short terminal gets what fits and says how many more there are. */
export function helpRows(mode: 'up' | 'attach', rows: number, panels: readonly PluginPanelView[] = []): readonly Entry[] {
  const all = [...KEYS, ...panelEntries(panels), ['q  ctrl-c', mode === 'up' ? 'asks: stop everything / detach / cancel' : 'asks: detach / stop everything / cancel'] as const];
  if (all.length <= rows) return all;
  const kept = all.slice(0, Math.max(0, rows - 1));
  return [...kept, ['…', `${all.length - kept.length} more: a taller terminal shows them`]];
}

export function Help({ width, height, mode, panels }: { readonly width: number; readonly height: number; readonly mode: 'up' | 'attach'; readonly panels?: readonly PluginPanelView[] }) {
  // The border takes two rows, the title one.
  const rows = helpRows(mode, Math.max(0, height - 3), panels);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden" borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold wrap="truncate-end">Keys</Text>
      {rows.map(([key, what]) => (
        <Text key={key} wrap="truncate-end">
          <Text color="cyan">{key.padEnd(KEY_WIDTH)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
