import { Text } from 'ink';
import { memo } from 'react';
import type { TuiLine } from '../log-store.js';
import { matches, segments, type Search } from '../search.js';
import type { Color } from '../format.js';
import { rowText } from '../row-text.js';
import type { RowOverlay } from '../row-overlay.js';
import { Drawn } from './Row.js';

export interface LogLineProps {
  readonly line: TuiLine;
  readonly label: string | undefined;
  readonly labelWidth: number;
  readonly labelColor: Color;
  readonly wrap: boolean;
  readonly search: Search | undefined;
  readonly current: boolean;
  readonly selected: boolean;
  /** The pane's width: rows are cut to it. */
  readonly width: number;
  /** Where finished rows go when the terminal writer swaps them in (see RowOverlay). */
  readonly overlay: RowOverlay | undefined;
}

/** One log line: coloured name prefix in the merged view; search matches highlighted; copy selection inverted. */
export const LogLineView = memo(function LogLineView({ line, label, labelWidth, labelColor, wrap, search, current, selected, width, overlay }: LogLineProps) {
  const row = wrap ? undefined : rowText(line, { label, labelWidth, labelColor, search, current, selected, width });
  if (row !== undefined) return <Drawn row={row} overlay={overlay} />;
  const prefix = label === undefined ? null : (
    <>
      <Text color={labelColor}>{label.padEnd(labelWidth)}</Text>
      <Text dimColor> │ </Text>
    </>
  );
  const mode = wrap ? 'wrap' : 'truncate-end';
  if (selected) {
    return (
      <Text wrap={mode}>
        {prefix}
        <Text inverse>{line.plain === '' ? ' ' : line.plain}</Text>
      </Text>
    );
  }
  if (search && matches(search, line.plain)) {
    return (
      <Text wrap={mode}>
        {prefix}
        {segments(search, line.plain).map((segment, i) =>
          segment.match ? (
            <Text key={i} color="black" backgroundColor={current ? 'yellow' : 'cyan'} bold={current}>
              {segment.text}
            </Text>
          ) : (
            <Text key={i}>{segment.text}</Text>
          ),
        )}
      </Text>
    );
  }
  return (
    <Text wrap={mode}>
      {prefix}
      <Text color={line.stream === 'err' ? 'red' : undefined}>{line.text === '' ? ' ' : line.text}</Text>
    </Text>
  );
});
