import fs from 'node:fs/promises';
import path from 'node:path';
import { Supervisor } from '../../supervisor/supervisor.js';
import { LogHub } from '../../logs/hub.js';
import { reapLeftovers, startOrphanGuard } from '../../supervisor/orphan-guard.js';
import { printHeadless } from '../headless.js';
import { projectName, upSource, type UpSourceOptions } from '../up-source.js';
import { colorEnabled, stderrColors } from '../output.js';
import { claimControl, serveControl } from '../control-up.js';
import { holdYoungGeneration } from '../../tui/young-generation.js';
import { stdoutGone, whenStdoutCloses } from '../stdout-gone.js';

export interface UpOptions extends UpSourceOptions {
  readonly only?: string;
  readonly tui?: boolean;
}

function say(line: string): void {
  if (!stdoutGone()) process.stdout.write(`${'node-unit'} | ${line}\n`);
}

/** Copied TUI text goes to a file too, for terminals without OSC 52. */
async function saveCopy(stateDir: string, text: string): Promise<string> {
  const file = path.join(stateDir, 'copied.txt');
  await fs.writeFile(file, text.endsWith('\n') ? text : `${text}\n`);
  return file;
}

/** The foreground supervisor: runs until a signal, then stops everything and exits 0. */
export async function upCommand(options: UpOptions, scripts: readonly string[] = [], passed: readonly string[] = []): Promise<number> {
  const useTui = options.tui !== false && process.stdout.isTTY === true && process.stdin.isTTY === true;
  let stopPrinting: () => void = () => undefined;
  // Before anything is printed: an EPIPE with no listener would crash the supervisor.
  whenStdoutCloses(() => {
    stopPrinting();
    stopPrinting = () => undefined;
  });
  // Before loading the config: start-up work alone grows the young generation to 2 × 4 MiB.
  if (useTui) holdYoungGeneration();
  const source = await upSource(scripts, options, passed);
  if (typeof source === 'number') return source;
  const { loaded, configSource } = source;
  const only = options.only?.split(',').map((name) => name.trim()).filter(Boolean) ?? [];
  const unknown = only.filter((name) => !loaded.apps.some((app) => app.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`${stderrColors().red('error')} --only: no app named ${unknown.map((n) => `"${n}"`).join(', ')} (apps: ${loaded.apps.map((a) => a.name).join(', ')})\n`);
    return 2;
  }
  const claim = await claimControl(loaded.stateDir, loaded.configDir);
  if (!claim.ok) return claim.exitCode;
  const reaped = await reapLeftovers(loaded.stateDir);
  if (reaped.length > 0) say(`stopped ${reaped.length} process${reaped.length === 1 ? '' : 'es'} left by a previous run that was killed: ${reaped.map((p) => `${p.pid} (${p.command})`).join(', ')}`);
  const guard = startOrphanGuard({ stateDir: loaded.stateDir });
  const logs = new LogHub();
  const supervisor = new Supervisor(loaded.apps, { registry: guard, configSource, logs });
  // For an external logrotate: it renames the files, then signals; we reopen under the original names.
  process.on('SIGUSR2', () => void logs.reopen());
  const control = await serveControl(supervisor, claim);
  if (!control.ok) {
    await guard.close();
    return control.exitCode;
  }
  const printOptions = { color: colorEnabled(process.stdout), instanceCounts: new Map(loaded.apps.map((app) => [app.name, app.instances])) };
  // Loaded before any spawn: it sets NODE_ENV for React only while loading, and the apps inherit our env.
  const tui = useTui ? await import('../../tui/render.js') : undefined;
  await tui?.preloadTui();
  if (!tui && !stdoutGone()) stopPrinting = printHeadless(supervisor, printOptions);
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
  if (tui) {
    const project = projectName(source);
    const stateDir = loaded.stateDir;
    const afterTui = (reason: string): void => {
      if (!stdoutGone()) stopPrinting = printHeadless(supervisor, printOptions);
      finish(reason);
    };
    tui.runTui(supervisor, { project, mode: 'up', startedAt: Date.now() - process.uptime() * 1000, saveCopy: (text) => saveCopy(stateDir, text) }).then(
      () => afterTui('quit'),
      (error: unknown) => {
        process.stderr.write(`node-unit: the TUI failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        afterTui('TUI error');
      },
    );
  }
  await supervisor.startAll(only);
  await done;
  stopPrinting();
  await control.server.close();
  await guard.close();
  return 0;
}
