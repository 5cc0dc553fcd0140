/** Set once stdout's reader has gone (`node-unit up | head`): nothing more is written there. */
let gone = false;
let stderrGone = false;

export const stdoutGone = (): boolean => gone;

/**
 * For `up`: a reader of its output that goes away stops the printing, not the supervisor; the apps keep
 * running, their lines still reach the log files, and the control socket and signals still work.
 * stderr may share that reader (`up 2>&1 | head`): once it fails too, nothing more is said there.
 */
export function whenStdoutCloses(stopPrinting: () => void): void {
  process.stderr.on('error', () => {
    stderrGone = true;
  });
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (gone) return;
    gone = true;
    stopPrinting();
    if (stderrGone) return;
    const why = error.code === 'EPIPE' ? 'its reader closed it' : (error.code ?? error.message);
    process.stderr.write(`node-unit | stdout: ${why}; no longer printing here (lines still go to the log files)\n`);
  });
}
