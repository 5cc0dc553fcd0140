// Bundles the TUI (src/tui/ink-app.ts, built to dist/) with Ink and React into dist/tui.mjs.
// Loaded as ~600 separate ES modules (415 of them es-toolkit, for Ink's one `throttle`) the TUI process held
// ~20 MiB more; one tree-shaken file with React's production build holds only what runs.
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

/** Ink imports its React devtools hook only when DEV=true; react-devtools-core is not installed with us. */
const noDevtools = {
  name: 'no-devtools',
  setup(build) {
    build.onResolve({ filter: /^\.\/devtools\.js$/, namespace: 'file' }, (args) =>
      /[\\/]ink[\\/]/.test(args.importer) ? { path: 'devtools', namespace: 'no-devtools' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-devtools' }, () => ({ contents: 'export {};' }));
  },
};

const STYLED_CHARS = /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/;
const ORIGINAL = 'export function styledCharsToString(';

/** Ink's per-row styledCharsToString, routed to src/tui/styled-line.ts (same output, without its per-cell garbage). */
const lightStyledLines = {
  name: 'light-styled-lines',
  setup(build) {
    let patched = false;
    build.onLoad({ filter: STYLED_CHARS }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      if (!source.includes(ORIGINAL)) throw new Error(`${args.path}: no "${ORIGINAL}" to replace; check src/tui/styled-line.ts against this version`);
      patched = true;
      const styledLine = JSON.stringify(path.resolve('dist/src/tui/styled-line.js'));
      return {
        contents:
          source.replace(ORIGINAL, 'function styledCharsToStringPerCell(') +
          `\nimport { styledLine } from ${styledLine};\nexport function styledCharsToString(chars) { return styledLine(chars, diffAnsiCodes, ansiCodesToString); }\n`,
        loader: 'js',
      };
    });
    build.onEnd((result) => {
      if (result.errors.length === 0 && !patched) throw new Error('bundle-tui: @alcalzone/ansi-tokenize styledChars.js was not in the bundle; Ink changed, check src/tui/styled-line.ts');
    });
  },
};

await esbuild.build({
  entryPoints: ['dist/src/tui/ink-app.js'],
  outfile: 'dist/tui.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  define: { 'process.env.NODE_ENV': '"production"' },
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS parts of the graph (React, signal-exit) call require() for node's own modules.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  plugins: [noDevtools, lightStyledLines],
  logLevel: 'warning',
});
