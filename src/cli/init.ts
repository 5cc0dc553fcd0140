import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * PID 1 (a container, a pid namespace) inherits every orphan, and Node reaps only the children it spawned:
 * a grandchild whose parent died would stay a zombie for good. Reaping them from inside Node (waitpid(-1))
 * would also take exit statuses libuv waits for by pid, and the supervisor would lose its own apps' exits.
 * So `up` puts a minimal init (native/init.c) in its own place with execv, and runs as that init's child:
 * the init reaps the orphans and forwards signals; libuv keeps its children to itself.
 */

/** From dist/src/cli to the package root, where node-gyp puts what it builds. */
const RELEASE = '../../../build/Release/';

export type InitOutcome = { readonly kind: 'not-pid-1' } | { readonly kind: 'disabled' } | { readonly kind: 'unavailable'; readonly reason: string };

interface ExecAddon {
  readonly exec: (file: string, argv: readonly string[]) => never;
}

function loadExec(): ExecAddon | string {
  try {
    const addon = createRequire(import.meta.url)(`${RELEASE}node_unit_exec.node`) as Partial<ExecAddon>;
    return typeof addon.exec === 'function' ? (addon as ExecAddon) : 'the exec helper has no exec function';
  } catch (error) {
    return `the native helpers were not built (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

/** The init binary, when it was built. */
export function initBinary(): string | undefined {
  const file = fileURLToPath(new URL(`${RELEASE}node-unit-init`, import.meta.url));
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    return undefined;
  }
}

/** As PID 1, replaces this process with node-unit-init running this same command; returns only when it does not. */
export function becomeInitIfPid1(env: NodeJS.ProcessEnv = process.env): InitOutcome {
  if (process.pid !== 1) return { kind: 'not-pid-1' };
  if (env.NODE_UNIT_INIT === '0') return { kind: 'disabled' };
  const init = initBinary();
  if (!init) return { kind: 'unavailable', reason: 'node-unit-init was not built' };
  const addon = loadExec();
  if (typeof addon === 'string') return { kind: 'unavailable', reason: addon };
  try {
    return addon.exec(init, [init, process.execPath, ...process.execArgv, ...process.argv.slice(1)]);
  } catch (error) {
    return { kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** What `up` says when it stays PID 1 without the init. */
export function initWarning(outcome: InitOutcome): string | undefined {
  if (outcome.kind !== 'unavailable') return undefined;
  return `running as PID 1 without node-unit-init (${outcome.reason}): orphaned processes will stay zombies; run the container with --init, or install node-unit where a C compiler is available`;
}
