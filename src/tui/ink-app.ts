/**
 * Everything runTui needs from Ink and React, in one module: the build bundles it into dist/tui.mjs
 * (scripts/bundle-tui.mjs), one file instead of ~600 modules, which keeps the TUI process ~20 MiB smaller.
 */
export { render } from 'ink';
export { createElement } from 'react';
export { App } from './App.js';
