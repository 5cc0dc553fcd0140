import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic, writeFileAtomicSync } from '../util/atomic-write.js';
import { isRunning, listProcesses, readCommand, readProcStat, signal, type ProcStat } from '../util/proc.js';
import { MARKER_NAME, ownerOf, supervisorMarker } from './marker.js';
import { environValue, findTree } from './proctable.js';
import { endTree } from './stop.js';

export { MARKER_NAME } from './marker.js';

export interface OrphanGuard {
  /** Records the pid of an instance's process group leader (spawned with `detached: true`). */
  track(pid: number): void;
  untrack(pid: number): void;
  /** Clean shutdown: the watchdog exits without killing anything. Call after every instance has stopped. */
  close(): Promise<void>;
  /** The watchdog's pid (undefined if it could not be started). */
  readonly watchdogPid: number | undefined;
  /**
   * An environment variable to give every managed process. Descendants inherit it, so the watchdog finds
   * processes it was never told about: one forked just before the supervisor died (before track() ran), or
   * a grandchild whose parent link is already gone.
   */
  readonly marker: { readonly name: string; readonly value: string };
}

export interface OrphanGuardOptions {
  readonly stateDir: string;
  /**
   * The watchdog could not be started or the pipe to it broke (only the record is left for the next start),
   * or the record could not be written (the watchdog still guards every process). Said once per failure.
   */
  readonly onError?: (error: Error) => void;
}

export interface ReapedProcess {
  readonly pid: number;
  readonly command: string;
}

/** A pid and its start time (field 22 of /proc/PID/stat): together they name one process, safe against reuse. */
interface Identity {
  readonly pid: number;
  readonly startTime: number;
}

interface GuardRecord {
  readonly owner: Identity;
  readonly processes: readonly Identity[];
}

export const RECORD_FILE = 'orphan-guard.json';

/** How long the killers wait after SIGTERM before SIGKILL: short, since the supervisor that owned them is gone. */
const TERM_GRACE_MS = 1000;

/**
 * The watchdog (POSIX sh, about 1 MB). It reads +PID / -PID lines from the pipe whose write end only the
 * supervisor holds. EOF without an `exit` line means the supervisor died, however it died (unlike polling
 * with kill -0, a zombie supervisor cannot fool it). Then it freezes every recorded group with STOP (kill is
 * a builtin: no fork, so this is immediate even on a loaded machine), so no parent there can die and no child
 * be re-parented while the trees are walked, and execs Node with reaper-main.js: the same walk and the same
 * escalation as every stop, not a second implementation in awk. Without Node it kills the recorded groups.
 */
const WATCHDOG = `# node-unit orphan guard
trap '' INT HUP
token=$1 since=$2 node=$3 reaper=$4
pids=''
while IFS= read -r line; do
  case $line in
    exit) exit 0 ;;
    +*) p=\${line#+}; case $p in ''|*[!0-9]*) ;; *) pids="$pids $p" ;; esac ;;
    -*) p=\${line#-}; kept=''; for q in $pids; do [ "$q" = "$p" ] || kept="$kept $q"; done; pids=$kept ;;
  esac
done
for g in $pids; do kill -s STOP -- "-$g" 2>/dev/null; done
if [ -x "$node" ] && [ -f "$reaper" ]; then exec "$node" "$reaper" "$token" "$since" $pids; fi
for g in $pids; do kill -s KILL -- "-$g" 2>/dev/null; done
exit 0
`;

const REAPER = fileURLToPath(new URL('./reaper-main.js', import.meta.url));

export function recordPath(stateDir: string): string {
  return path.join(stateDir, RECORD_FILE);
}

function identify(pid: number): Identity | undefined {
  const stat = readProcStat(pid);
  return stat ? { pid, startTime: stat.startTime } : undefined;
}

function isSameProcess(identity: Identity): boolean {
  const stat = readProcStat(identity.pid);
  return isRunning(stat) && stat.startTime === identity.startTime;
}

// No fsync: the record must survive the supervisor's death, not the machine's (which ends the processes too).
const recordText = (owner: Identity, tracked: ReadonlyMap<number, Identity>): string => JSON.stringify({ owner, processes: [...tracked.values()] } satisfies GuardRecord) + '\n';

function writeRecord(stateDir: string, owner: Identity, tracked: ReadonlyMap<number, Identity>): void {
  writeFileAtomicSync(recordPath(stateDir), recordText(owner, tracked));
}

function spawnWatchdog(token: string, since: number): ChildProcess {
  // Own session: Ctrl-C and terminal hang-ups aimed at the supervisor's group do not reach it. cwd '/' so it
  // pins no mount point.
  return spawn('/bin/sh', ['-c', WATCHDOG, 'node-unit-guard', token, String(since), process.execPath, REAPER], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
  });
}

/**
 * Starts the watchdog and the record in `stateDir`. Call reapLeftovers(stateDir) first: this replaces the
 * record of a previous run.
 */
export function startOrphanGuard(options: OrphanGuardOptions): OrphanGuard {
  const { stateDir } = options;
  fs.mkdirSync(stateDir, { recursive: true });
  const owner = identify(process.pid) ?? { pid: process.pid, startTime: -1 };
  const tracked = new Map<number, Identity>();
  const report = (error: Error): void => options.onError?.(error);
  writeRecord(stateDir, owner, tracked);

  const marker = { name: MARKER_NAME, value: supervisorMarker(stateDir, owner) };
  const watchdog = spawnWatchdog(marker.value, owner.startTime);
  const exited = new Promise<void>((resolve) => {
    watchdog.once('exit', () => resolve());
    watchdog.once('error', (error) => {
      report(error);
      resolve();
    });
  });
  watchdog.unref();
  const pipe = watchdog.stdin;
  // The guard must not keep the supervisor's event loop alive.
  if (pipe instanceof net.Socket) pipe.unref();
  pipe?.on('error', report);
  let closed = false;

  const send = (line: string): void => {
    if (pipe && pipe.writable) pipe.write(`${line}\n`);
  };
  // The watchdog hears of each pid at once; the record, its backup for when the watchdog died too, is
  // written once per turn of the event loop, after the replies of that turn (a restart changes it twice,
  // `restart all` a hundred times), in the thread pool: a rename on a busy disk took 4–10 ms, and held every
  // command behind it. One write at a time; changes made meanwhile go in the next. A pid missing from it for
  // that moment still carries the marker.
  let recordDue = false;
  let recordFailing = false;
  let writing: Promise<void> | undefined;
  const recordFailed = (error: unknown): void => {
    // A full or vanished state folder must not end the supervisor: the watchdog has every pid already.
    if (!recordFailing) report(new Error(`cannot write the process record ${recordPath(stateDir)} (${error instanceof Error ? error.message : String(error)}); the watchdog still guards every process`));
    recordFailing = true;
  };
  const writeDue = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    while (recordDue && !closed) {
      recordDue = false;
      try {
        await writeFileAtomic(recordPath(stateDir), recordText(owner, tracked));
        recordFailing = false;
      } catch (error) {
        recordFailed(error);
      }
    }
    writing = undefined;
  };
  const saveRecordSoon = (): void => {
    recordDue = true;
    writing ??= writeDue();
  };

  return {
    marker,
    watchdogPid: watchdog.pid,
    track(pid) {
      if (closed || tracked.has(pid)) return;
      const identity = identify(pid);
      if (!identity) return;
      tracked.set(pid, identity);
      send(`+${pid}`);
      saveRecordSoon();
    },
    untrack(pid) {
      if (closed || !tracked.delete(pid)) return;
      send(`-${pid}`);
      saveRecordSoon();
    },
    async close() {
      if (closed) return;
      closed = true;
      // A write in flight lands first; then what changed since is written, so no older record lands last.
      await writing;
      if (recordDue) {
        recordDue = false;
        try {
          writeRecord(stateDir, owner, tracked);
        } catch (error) {
          recordFailed(error);
        }
      }
      send('exit');
      pipe?.end();
      const late = new AbortController();
      const timer = delay(2000, 'late' as const, { signal: late.signal }).catch(() => 'cancelled' as const);
      const outcome = await Promise.race([exited.then(() => 'exited' as const), timer]);
      late.abort();
      if (outcome === 'late' && watchdog.pid !== undefined) signal(watchdog.pid, 'SIGKILL');
      // Anything still tracked was not stopped: leave it in the record for the next start to reap.
      if (tracked.size > 0) return;
      try {
        fs.rmSync(recordPath(stateDir), { force: true });
      } catch {
        // The folder went away or turned read-only: a record left there names processes that have ended, which the next start skips.
      }
    },
  };
}

function parseRecord(text: string): GuardRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const owner = 'owner' in value ? toIdentity(value.owner) : undefined;
  const list = 'processes' in value && Array.isArray(value.processes) ? (value.processes as readonly unknown[]) : undefined;
  if (!owner || !list) return undefined;
  const processes = list.map(toIdentity).filter((entry): entry is Identity => entry !== undefined);
  return { owner, processes };
}

function toIdentity(value: unknown): Identity | undefined {
  if (typeof value !== 'object' || value === null || !('pid' in value) || !('startTime' in value)) return undefined;
  const { pid, startTime } = value;
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 1 && typeof startTime === 'number' ? { pid, startTime } : undefined;
}

/**
 * Kills what a previous supervisor left running (both it and its watchdog died) and clears its record.
 * A recorded pid counts only if its start time still matches; a recorded group whose leader is gone but
 * whose members remain is ours too, since the kernel does not reuse a pid while a group of that id exists.
 * A record whose owner is still running belongs to a live supervisor and is left alone.
 */
export async function reapLeftovers(stateDir: string): Promise<readonly ReapedProcess[]> {
  const file = recordPath(stateDir);
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  const record = text === undefined ? undefined : parseRecord(text);
  if (record && isSameProcess(record.owner) && record.owner.pid !== process.pid) return [];
  const table = listProcesses();
  const byPid = new Map(table.map((stat) => [stat.pid, stat]));
  const roots = (record?.processes ?? []).filter((entry) => byPid.get(entry.pid)?.startTime === entry.startTime).map((entry) => entry.pid);
  const leaderless = (record?.processes ?? []).filter((entry) => !byPid.has(entry.pid) && table.some((stat) => stat.pgid === entry.pid)).map((entry) => entry.pid);
  const groups = [...new Set([...roots, ...leaderless])];
  const query = { roots: [...roots, ...orphanedCarriers(stateDir, table)], groups };
  const victims = findTree(query, table);
  const reaped = victims.map((stat) => ({ pid: stat.pid, command: readCommand(stat.pid) }));
  if (victims.length > 0) await endTree(query, { signal: 'SIGTERM', timeoutMs: TERM_GRACE_MS });
  fs.rmSync(file, { force: true });
  return reaped;
}

/**
 * Processes carrying the marker of a supervisor of this state folder that is gone: left by a run that was
 * killed, whether or not its record survived (or by an app that hid a descendant from a clean stop).
 */
function orphanedCarriers(stateDir: string, table: readonly ProcStat[]): readonly number[] {
  return table
    .filter((stat) => {
      if (stat.pid === process.pid || !isRunning(stat)) return false;
      const value = environValue(stat.pid, MARKER_NAME);
      const owner = value === undefined ? undefined : ownerOf(value, stateDir);
      return owner !== undefined && (owner.pid === process.pid || !isSameProcess(owner));
    })
    .map((stat) => stat.pid);
}
