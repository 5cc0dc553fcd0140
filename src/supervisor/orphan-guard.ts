import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { writeFileAtomicSync } from '../util/atomic-write.js';
import { isRunning, listProcesses, readCommand, readProcStat, signal, type ProcStat } from '../util/proc.js';

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

export const MARKER_NAME = 'NODE_UNIT_GUARD';

function markerValue(owner: Identity): string {
  return `${owner.pid}-${owner.startTime}`;
}

export interface OrphanGuardOptions {
  readonly stateDir: string;
  /** The watchdog could not be started or the pipe to it broke: only the record is left for the next start. */
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
 * with kill -0, a zombie supervisor cannot fool it). Then it first freezes every recorded group with STOP
 * (kill is a builtin: no fork, so this is immediate even on a loaded machine), so no parent can die and no
 * child can be re-parented or forked while it snapshots the trees — once a parent dies its children's links
 * are lost. It freezes the rest of the trees too, signals groups and trees with TERM and CONT, waits briefly,
 * snapshots again and sends KILL to whatever still runs.
 */
const WATCHDOG = `# node-unit orphan guard
trap '' INT HUP
token=$1
pids=''
while IFS= read -r line; do
  case $line in
    exit) exit 0 ;;
    +*) p=\${line#+}; case $p in ''|*[!0-9]*) ;; *) pids="$pids $p" ;; esac ;;
    -*) p=\${line#-}; kept=''; for q in $pids; do [ "$q" = "$p" ] || kept="$kept $q"; done; pids=$kept ;;
  esac
done
snapshot() {
  ps -e -o pid=,ppid=,pgid= | awk -v roots="$pids" -v self="$$" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) { root[r[i]] = 1; mark[r[i]] = 1 } }
    { pid[NR] = $1; parent[NR] = $2; if ($3 in root) mark[$1] = 1 }
    END {
      do { grown = 0; for (i = 1; i <= NR; i++) if (!(pid[i] in mark) && (parent[i] in mark)) { mark[pid[i]] = 1; grown = 1 } } while (grown)
      for (p in mark) if (p + 0 > 1 && p != self) printf "%s ", p
    }'
}
marked() {
  grep -lsz "^${MARKER_NAME}=$1\$" /proc/[0-9]*/environ 2>/dev/null | awk -F/ -v self="$$" '$3 != self { printf "%s ", $3 }'
}
running() {
  [ -n "$1" ] || return 0
  ps -o pid=,stat= -p "$(echo $1 | tr ' ' ',')" 2>/dev/null | awk '$2 !~ /^Z/ { printf "%s ", $1 }'
}
signal() {
  for g in $pids; do kill -s "$1" -- "-$g" 2>/dev/null; done
  [ -z "$2" ] || kill -s "$1" $2 2>/dev/null
}
signal STOP
victims="$(snapshot) $(marked "$token")"
signal STOP "$victims"
signal TERM "$victims"
signal CONT "$victims"
# The grace period is a sleeping child, so it is wall time however slow each check is under load.
sleep ${TERM_GRACE_MS / 1000} & timer=$!
while alive=$(running "$timer $victims"); case " $alive" in *" $timer "*) [ "$alive" != "$timer " ] ;; *) false ;; esac; do
  sleep 0.05
done
kill $timer 2>/dev/null
# The known victims at once: the rescan below forks ps and reads every environ, slow on a loaded machine.
signal KILL "$victims"
victims=$(running "$victims $(snapshot) $(marked "$token")")
signal KILL "$victims"
exit 0
`;

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

function writeRecord(stateDir: string, owner: Identity, tracked: ReadonlyMap<number, Identity>): void {
  const record: GuardRecord = { owner, processes: [...tracked.values()] };
  // No fsync: the record must survive the supervisor's death, not the machine's (which ends the processes too).
  writeFileAtomicSync(recordPath(stateDir), JSON.stringify(record) + '\n');
}

function spawnWatchdog(token: string): ChildProcess {
  // Own session: Ctrl-C and terminal hang-ups aimed at the supervisor's group do not reach it. cwd '/' so it
  // pins no mount point.
  return spawn('/bin/sh', ['-c', WATCHDOG, 'node-unit-guard', token], {
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

  const marker = { name: MARKER_NAME, value: markerValue(owner) };
  const watchdog = spawnWatchdog(marker.value);
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
  // `restart all` a hundred times). A pid missing from it for that moment still carries the marker.
  let recordDue = false;
  const saveRecord = (): void => {
    recordDue = false;
    writeRecord(stateDir, owner, tracked);
  };
  const saveRecordSoon = (): void => {
    if (recordDue) return;
    recordDue = true;
    setImmediate(() => {
      if (recordDue && !closed) saveRecord();
    });
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
      if (recordDue) saveRecord();
      closed = true;
      send('exit');
      pipe?.end();
      const late = new AbortController();
      const timer = delay(2000, 'late' as const, { signal: late.signal }).catch(() => 'cancelled' as const);
      const outcome = await Promise.race([exited.then(() => 'exited' as const), timer]);
      late.abort();
      if (outcome === 'late' && watchdog.pid !== undefined) signal(watchdog.pid, 'SIGKILL');
      // Anything still tracked was not stopped: leave it in the record for the next start to reap.
      if (tracked.size === 0) fs.rmSync(recordPath(stateDir), { force: true });
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

/** Every running process in the given trees (by parent links) or groups (by pgid), from one snapshot. */
function victimsOf(roots: readonly number[], groups: ReadonlySet<number>, table: readonly ProcStat[]): readonly ProcStat[] {
  const marked = new Set(roots);
  for (const stat of table) if (groups.has(stat.pgid)) marked.add(stat.pid);
  for (let grown = true; grown; ) {
    grown = false;
    for (const stat of table) {
      if (!marked.has(stat.pid) && marked.has(stat.ppid)) {
        marked.add(stat.pid);
        grown = true;
      }
    }
  }
  return table.filter((stat) => marked.has(stat.pid) && stat.pid !== process.pid && stat.pid > 1 && isRunning(stat));
}

/**
 * Kills what a previous supervisor left running (both it and its watchdog died) and clears its record.
 * A recorded pid counts only if its start time still matches; a recorded group whose leader is gone but
 * whose members remain is ours too, since the kernel does not reuse a pid while a group of that id exists.
 * A record whose owner is still running belongs to a live supervisor and is left alone.
 */
export async function reapLeftovers(stateDir: string): Promise<readonly ReapedProcess[]> {
  const file = recordPath(stateDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const record = parseRecord(text);
  if (record && isSameProcess(record.owner) && record.owner.pid !== process.pid) return [];
  const table = listProcesses();
  const byPid = new Map(table.map((stat) => [stat.pid, stat]));
  const roots = (record?.processes ?? []).filter((entry) => byPid.get(entry.pid)?.startTime === entry.startTime).map((entry) => entry.pid);
  const leaderless = (record?.processes ?? []).filter((entry) => !byPid.has(entry.pid) && table.some((stat) => stat.pgid === entry.pid)).map((entry) => entry.pid);
  const groups = new Set([...roots, ...leaderless]);
  const marked = record ? markedBy(markerValue(record.owner), table) : [];
  const victims = [...new Map([...victimsOf(roots, groups, table), ...marked].map((stat) => [stat.pid, stat])).values()];
  const reaped = victims.map((stat) => ({ pid: stat.pid, command: readCommand(stat.pid) }));
  await terminate(victims, groups);
  fs.rmSync(file, { force: true });
  return reaped;
}

/** Processes that carry a supervisor's marker in their environment (inherited by all its descendants). */
function markedBy(value: string, table: readonly ProcStat[]): readonly ProcStat[] {
  const needle = `\0${MARKER_NAME}=${value}\0`;
  return table.filter((stat) => {
    if (stat.pid === process.pid || !isRunning(stat)) return false;
    try {
      return `\0${fs.readFileSync(`/proc/${stat.pid}/environ`, 'latin1')}`.includes(needle);
    } catch {
      return false;
    }
  });
}

async function terminate(victims: readonly ProcStat[], groups: ReadonlySet<number>): Promise<void> {
  if (victims.length === 0) return;
  const still = (): readonly ProcStat[] => victims.filter((stat) => isSameProcess(stat));
  const send = (sig: NodeJS.Signals, targets: readonly ProcStat[]): void => {
    for (const group of groups) signal(-group, sig);
    for (const stat of targets) signal(stat.pid, sig);
  };
  send('SIGTERM', victims);
  send('SIGCONT', victims);
  await until(() => still().length === 0, TERM_GRACE_MS);
  const left = still();
  if (left.length === 0) return;
  send('SIGKILL', left);
  await until(() => still().length === 0, TERM_GRACE_MS);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await delay(25);
}
