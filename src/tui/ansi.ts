/** Log lines keep their colours (SGR) but nothing that could move the cursor or redraw the screen. */

// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;
const SGR = /^\x1b\[[0-9;]*m$/;

/** Keeps SGR colour sequences, drops every other escape and control character; tabs become spaces. */
export function sanitize(line: string): string {
  const lastReturn = line.lastIndexOf('\r');
  const visible = lastReturn >= 0 && lastReturn < line.length - 1 ? line.slice(lastReturn + 1) : line;
  if (!/[\x00-\x1f\x7f]/.test(visible)) return visible;
  return visible
    .replace(ESCAPES, (seq) => (SGR.test(seq) ? seq : ''))
    .replace(/\t/g, '    ')
    .replace(CONTROLS, (char) => (char === '\x1b' ? char : ''))
    .replace(/\x1b(?!\[[0-9;]*m)/g, '');
}

export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ESCAPES, '') : text;
}
