// Its own module: runTui needs these before Ink loads, and a hook's module would bring a second React along.
const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
const MOUSE_OFF = '\x1b[?1000l\x1b[?1006l';

/** Mouse reporting (button presses and the wheel, SGR coordinates); the terminal's own selection needs it off. */
export function mouseReporting(on: boolean): string {
  return on ? MOUSE_ON : MOUSE_OFF;
}
