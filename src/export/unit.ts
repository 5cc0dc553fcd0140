/** systemd unit files: one writer for `export systemd` and `startup`. */

export type UnitEntry = readonly [key: string, value: string];

export interface UnitSection {
  readonly name: 'Unit' | 'Service' | 'Install';
  readonly entries: readonly UnitEntry[];
}

/** A value where systemd would expand specifiers (%) and variables ($): both kept literal. */
export function literal(text: string): string {
  return text.replace(/%/g, '%%');
}

/** One word of a command line, quoted when systemd would otherwise split or expand it. */
function execWord(word: string): string {
  const escaped = literal(word).replace(/\$/g, '$$$$');
  if (escaped !== '' && /^[^\s"'\\;]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** ExecStart= and friends: the program and each argument, quoted for systemd. */
export function execLine(argv: readonly string[]): string {
  return argv.map(execWord).join(' ');
}

/** Environment="KEY=value": quoted so spaces, quotes and backslashes survive. `value` may hold a specifier such as %i when `raw`. */
export function environment(key: string, value: string, raw = false): string {
  const text = `${key}=${raw ? value : literal(value)}`;
  return /^[\w=%.:/@,+-]*$/.test(text) ? text : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function renderUnit(comment: readonly string[], sections: readonly UnitSection[]): string {
  const head = comment.map((line) => `# ${line}`.trimEnd()).join('\n');
  const body = sections
    .filter((section) => section.entries.length > 0)
    .map((section) => `[${section.name}]\n${section.entries.map(([key, value]) => `${key}=${value}`).join('\n')}\n`)
    .join('\n');
  return `${head ? `${head}\n\n` : ''}${body}`;
}

/** Whole seconds, rounded up, as systemd reads a time span. */
export function timeSpan(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))}s`;
}
