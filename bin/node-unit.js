#!/usr/bin/env node
// CommonJS (bin/package.json): a CommonJS entry that requires a CommonJS bundle starts ~12 ms sooner than
// ES modules, and `ls` / `restart` run in loops where node's own start-up is most of the cost.
const notBuilt = (error) => {
  const missing = error && (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND');
  if (missing && /dist\/(src\/cli\/main\.js|cli-fast\.cjs)/.test(String(error.message))) {
    process.stderr.write('node-unit is not built: run `npm run build` (npm install does it for you)\n');
    process.exit(1);
  }
  throw error;
};
const full = () => import('../dist/src/cli/main.js').catch(notBuilt);
const loadFast = () => {
  try {
    return require('../dist/cli-fast.cjs');
  } catch (error) {
    return notBuilt(error);
  }
};
// Once a one-shot command's output is written there is nothing left to wait for, and node's own teardown
// after the last callback costs ~7 ms. Output still queued (a slow pipe) is let drain instead.
const finish = (code) => {
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
  process.exitCode = code;
};
// ls / start / stop / restart with plain arguments skip commander (see src/cli/fast.ts) and load one bundled
// file instead of a module graph; the rest, and help, go through the full CLI.
const argv = process.argv.slice(2);
// A reader that goes away (`node-unit logs | head`) ends a one-shot command quietly, as in other CLIs.
// `up` handles it itself: its apps keep running (src/cli/stdout-gone.ts).
if (argv[0] !== 'up') {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (error && error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}
// The verb list lives in src/cli/verbs.ts; the bundled fast path (one small file) carries it.
const fastVerb = () => argv.length > 0 && loadFast().FAST_VERBS.has(argv[0]);
if (fastVerb() && !argv.includes('-h') && !argv.includes('--help')) {
  Promise.resolve()
    .then(() => loadFast().runFast(argv))
    .then((code) => (code === undefined ? full() : finish(code)))
    .catch((error) => {
      process.stderr.write(`node-unit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    });
} else {
  full();
}
