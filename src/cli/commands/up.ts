import { Supervisor } from '../../supervisor/supervisor.js';
import { LogHub } from '../../logs/hub.js';
import { reapLeftovers, startOrphanGuard } from '../../supervisor/orphan-guard.js';
import { printHeadless } from '../headless.js';
import { headlessStdout } from '../headless-output.js';
import { upSource, type UpSourceOptions } from '../up-source.js';
import { colorEnabled, stderrColors } from '../output.js';
import { claimControl, serveControl } from '../control-up.js';
import { controlSocketPath } from '../../control/paths.js';
import { startView } from '../view-process.js';
import type { ViewExit } from '../view-protocol.js';
import { stdoutGone, whenStdoutCloses } from '../stdout-gone.js';
import { closePlugins, pluginCallHandler, preparePlugins } from '../plugins-up.js';
import { becomeInitIfPid1, initWarning } from '../init.js';
import { followOutcome } from '../up-outcome.js';
import { refuseUnwritableStateFolder } from '../state-folder.js';

export interface UpOptions extends UpSourceOptions {
  readonly only?: string;
  readonly tui?: boolean;
  /** q in the TUI stops everything without asking. */
  readonly yes?: boolean;
  /** false (--no-auto-exit): without the view, keep running once every app has ended. */
  readonly autoExit?: boolean;
}

function say(line: string): void {
  if (!stdoutGone()) process.stdout.write(`${'node-unit'} | ${line}\n`);
}

/** What the terminal shows once the view has gone, and whether everything stops with it. */
function afterView(outcome: ViewExit, shuttingDown: boolean): { readonly say?: string; readonly stop: boolean } {
  // Everything is stopping already (a signal, `down`, a closed terminal): nothing to add.
  if (shuttingDown) return { stop: false };
  switch (outcome.kind) {
    case 'stop':
      return { stop: true };
    case 'gone':
      return { stop: false };
    case 'detach':
      return { stop: false, say: "view closed; every app keeps running here ('node-unit attach' shows it again, Ctrl-C stops everything)" };
    case 'signal':
      return { stop: false, say: 'the view was ended by a signal; every app keeps running (Ctrl-C stops everything)' };
    case 'crash':
      return { stop: false, say: `the view stopped unexpectedly (${outcome.why}); every app keeps running (Ctrl-C stops everything)` };
  }
}

/**
 * The foreground supervisor: runs until a signal, `down`, q in the view or, without the view, until every app
 * has ended; then stops everything and exits 0, or 1 when an app had failed for good (see ../up-exit.ts).
 */
export async function upCommand(options: UpOptions, scripts: readonly string[] = [], passed: readonly string[] = []): Promise<number> {
  // As PID 1 this returns only when the init cannot take this process's place (see ../init.ts).
  const asInit = initWarning(becomeInitIfPid1());
  const useTui = options.tui !== false && process.stdout.isTTY === true && process.stdin.isTTY === true;
  let stopPrinting: () => Promise<void> = () => Promise.resolve();
  // Before anything is printed: an EPIPE with no listener would crash the supervisor.
  whenStdoutCloses(() => {
    void stopPrinting();
    stopPrinting = () => Promise.resolve();
  });
  const source = await upSource(scripts, options, passed);
  if (typeof source === 'number') return source;
  const { loaded, configSource } = source;
  if (asInit) say(asInit);
  const only = options.only?.split(',').map((name) => name.trim()).filter(Boolean) ?? [];
  const unknown = only.filter((name) => !loaded.apps.some((app) => app.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`${stderrColors().red('error')} --only: no app named ${unknown.map((n) => `"${n}"`).join(', ')} (apps: ${loaded.apps.map((a) => a.name).join(', ')})\n`);
    return 2;
  }
  const unwritable = refuseUnwritableStateFolder(loaded.stateDir);
  if (unwritable !== undefined) return unwritable;
  const claim = await claimControl(loaded.stateDir, loaded.configDir);
  if (!claim.ok) return claim.exitCode;
  const reaped = await reapLeftovers(loaded.stateDir);
  if (reaped.length > 0) say(`stopped ${reaped.length} process${reaped.length === 1 ? '' : 'es'} left by a previous run that was killed: ${reaped.map((p) => `${p.pid} (${p.command})`).join(', ')}`);
  const plugins = loaded.file === undefined ? undefined : await preparePlugins(loaded, { tui: useTui, color: colorEnabled(process.stdout) });
  const guard = startOrphanGuard({ stateDir: loaded.stateDir, onError: (error) => say(error.message) });
  const logs = new LogHub();
  const supervisor = new Supervisor(loaded.apps, { registry: guard, configSource, logs });
  // For an external logrotate: it renames the files, then signals; we reopen under the original names.
  process.on('SIGUSR2', () => void logs.reopen());
  const control = await serveControl(plugins ? plugins.servedAs(supervisor) : supervisor, claim, pluginCallHandler(plugins));
  if (!control.ok) {
    await closePlugins(plugins);
    await guard.close();
    return control.exitCode;
  }
  const printOptions = { color: colorEnabled(process.stdout), instanceCounts: new Map(loaded.apps.map((app) => [app.name, app.instances])) };
  if (!useTui && !stdoutGone()) stopPrinting = printHeadless(supervisor, { ...printOptions, out: headlessStdout(), tap: (listener) => supervisor.tapLogs(listener) });
  let signals = 0;
  let finish: (reason: string) => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = (reason) => void supervisor.shutdown(reason).then(resolve);
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals === 1) {
        finish(signal);
      } else if (signal === 'SIGINT') {
        say('second Ctrl-C: killing everything now');
        supervisor.killAll();
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
    control.onRemoteShutdown(resolve);
  });
  const autoExit = !useTui && options.autoExit !== false && !loaded.plugins.some((plugin) => plugin.keepsUp === true);
  const outcome = followOutcome(supervisor, autoExit ? () => finish('every app has ended') : undefined);
  // The view runs in a process of its own, attached over the control socket: drawing never delays us.
  let stopView = async (): Promise<void> => undefined;
  let ending = false;
  if (useTui) {
    const view = startView({ socketPath: controlSocketPath(loaded.stateDir), project: claim.project, startedAt: Date.now() - process.uptime() * 1000, confirmQuit: options.yes !== true, stateDir: loaded.stateDir });
    stopView = view.stop;
    void view.exited.then((outcome) => {
      const next = afterView(outcome, signals > 0 || ending);
      if (next.say !== undefined) say(next.say);
      if (!stdoutGone() && (next.stop || next.say !== undefined)) stopPrinting = printHeadless(supervisor, { ...printOptions, out: headlessStdout(), tap: (listener) => supervisor.tapLogs(listener) });
      if (next.stop) finish('q in the view');
    });
  }
  void plugins?.start(supervisor);
  await supervisor.startAll(only);
  await done;
  ending = true;
  // The terminal is the view's until it has gone: our last lines come after its screen is restored.
  await stopView();
  await stopPrinting();
  const verdict = await outcome.verdict();
  outcome.close();
  if (verdict.line !== undefined) say(verdict.line);
  await closePlugins(plugins);
  await control.server.close();
  await guard.close();
  return verdict.code;
}
