/** The exit codes as `up --help` lists them. */
export const UP_EXIT_HELP = `
Exit codes:
  0   every app was stopped when asked (Ctrl-C, SIGTERM, down, q) or ended with 0 or one of its stop_exit_codes
  1   an app had failed for good when up stopped: errored (restarts exhausted, could not start, readiness
      failed) or exited by itself with another code, or by a signal, and was not restarted;
      also: the config is invalid, a supervisor already runs here, the state folder cannot be written
  2   bad arguments
  70  an internal error (a bug: please report it)
  128+N  up itself was killed by signal N (137: SIGKILL); its watchdog stopped the apps
Without the TUI, up ends by itself once every app has ended and nothing will start one again
(an app stopped with 'node-unit stop', cron_restart or watch keep it running); --no-auto-exit keeps it running.
`;
