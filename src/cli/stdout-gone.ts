/** Set once stdout's reader has gone (`node-unit up | head`): nothing more is written there. */
let gone = false;

export const stdoutGone = (): boolean => gone;

/**
 * For `up`: a reader of its output that goes away stops the printing, not the supervisor; the apps keep
 * running, their lines still reach the log files, and the control socket and signals still work.
 */
export function whenStdoutCloses(stopPrinting: () => void): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (gone) return;
    gone = true;
    stopPrinting();
    const why = error.code === 'EPIPE' ? 'its reader closed it' : (error.code ?? error.message);
    process.stderr.write(`node-unit | stdout: ${why}; no longer printing here (lines still go to the log files)\n`);
  });
}
