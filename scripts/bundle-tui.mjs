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

const styledLineModule = JSON.stringify(path.resolve('dist/src/tui/styled-line.js'));

/**
 * Two edits to Ink's row assembly, which runs for every cell of every frame. Each names the text it replaces;
 * if a new Ink version no longer has it, the build fails rather than bundle an unpatched or broken Ink.
 */
const PATCHES = [
  {
    // Three Sets and three arrays per cell: routed to src/tui/styled-line.ts (same string, tested against it).
    file: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/,
    from: 'export function styledCharsToString(',
    to: 'function styledCharsToStringPerCell(',
    append: `import { styledLine } from ${styledLineModule};\nexport function styledCharsToString(chars) { return styledLine(chars, diffAnsiCodes, ansiCodesToString); }`,
  },
  {
    // A fresh blank cell (an object and an array) for every cell of the grid, before the text overwrites most of
    // them. Cells are only ever replaced, never changed: one frozen blank serves them all.
    file: /[\\/]ink[\\/]build[\\/]output\.js$/,
    from: /row\.push\(\{\s*type: 'char',\s*value: ' ',\s*fullWidth: false,\s*styles: \[\],\s*\}\);/,
    to: 'row.push(BLANK_CELL);',
    append: "const BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });",
  },
];

const patchInk = {
  name: 'patch-ink',
  setup(build) {
    const applied = new Set();
    for (const patch of PATCHES) {
      build.onLoad({ filter: patch.file }, (args) => {
        const source = fs.readFileSync(args.path, 'utf8');
        const patched = source.replace(patch.from, patch.to);
        if (patched === source) throw new Error(`${args.path}: ${patch.from} not found; this version needs the patch in scripts/bundle-tui.mjs reviewed`);
        applied.add(patch);
        return { contents: `${patched}\n${patch.append}\n`, loader: 'js' };
      });
    }
    build.onEnd((result) => {
      const missed = PATCHES.filter((patch) => !applied.has(patch));
      if (result.errors.length === 0 && missed.length > 0) throw new Error(`bundle-tui: not in the bundle: ${missed.map((patch) => patch.file).join(', ')}; Ink changed, review the patches`);
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
  plugins: [noDevtools, patchInk],
  logLevel: 'warning',
});
