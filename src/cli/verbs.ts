/**
 * The CLI's words in one place: the verbs the quick path serves (bin/node-unit.js and fast.ts read this
 * list from the bundled fast path), and pm2's verbs we answer with ours. The commands themselves are
 * registered with commander in main.ts and control-commands.ts, which completion reads back.
 */

/** Served without commander when their arguments are plain (see fast.ts). */
export const FAST_VERBS: ReadonlySet<string> = new Set(['ls', 'list', 'status', 'start', 'stop', 'restart']);

/** pm2 verbs that are not ours, and what to type instead. */
export const PM2_WORDS: Readonly<Record<string, string>> = {
  monit: "'node-unit attach' (or 'node-unit up' on a terminal) shows every app with CPU, memory and logs",
  dashboard: "'node-unit attach' shows every app with CPU, memory and logs",
  kill: "'node-unit down' stops every app, then the supervisor",
  jlist: "'node-unit ls --json'",
  prettylist: "'node-unit ls --json'",
  show: "'node-unit describe <app>'",
  info: "'node-unit describe <app>'",
  sendSignal: "'node-unit signal <signal> <app>'",
  reloadLogs: "'node-unit reload-logs'",
  save: "there is no daemon to save a process list into: the ecosystem file is the list. 'node-unit init --from-running' writes apps added with 'start' into one; 'node-unit up' starts them all",
  resurrect: "there is no daemon to resurrect: 'node-unit up' starts everything in the ecosystem file ('node-unit startup' runs it at boot)",
  update: "there is no daemon to update: stop the supervisor ('node-unit down') and run 'node-unit up' again",
  ping: "'node-unit ls' answers when a supervisor is running",
  install: "node-unit has no module system: plugins are listed in the ecosystem file's plugins",
  deploy: "node-unit does not deploy: use your CI or a deploy tool, then 'node-unit reload'",
};

/** The words after `--` on the command line: the app's own arguments (`up app.js -- --port 3000`). */
export function splitPassedArgs(argv: readonly string[]): { readonly own: readonly string[]; readonly passed: readonly string[] } {
  const at = argv.indexOf('--');
  return at < 0 ? { own: argv, passed: [] } : { own: argv.slice(0, at), passed: argv.slice(at + 1) };
}
