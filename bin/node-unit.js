#!/usr/bin/env node
const notBuilt = (error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && /dist\/(src\/cli\/main|cli-fast)\.js/.test(String(error.message))) {
    process.stderr.write('node-unit is not built: run `npm run build` (npm install does it for you)\n');
    process.exit(1);
  }
  throw error;
};
const full = () => import('../dist/src/cli/main.js').catch(notBuilt);
// ls / start / stop / restart with plain arguments skip commander (see src/cli/fast.ts) and load one bundled
// file instead of a module graph: these run in loops, where node's own start-up is most of the cost.
const argv = process.argv.slice(2);
if (['ls', 'list', 'status', 'start', 'stop', 'restart'].includes(argv[0]) && !argv.includes('-h') && !argv.includes('--help')) {
  import('../dist/cli-fast.js')
    .catch(notBuilt)
    .then((fast) => fast.runFast(argv))
    .then((code) => (code === undefined ? full() : (process.exitCode = code)))
    .catch((error) => {
      process.stderr.write(`node-unit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    });
} else {
  full();
}
