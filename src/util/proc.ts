import fs from 'node:fs';

/** The fields of /proc/PID/stat that process supervision needs (Linux only). */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** The state letter: R, S, D, Z (zombie), X (dead), T, … */
  readonly state: string;
  /** Field 22: start time in clock ticks after boot. With the pid, it names one process for good. */
  readonly startTime: number;
  /** Fields 14 + 15: CPU time in user and kernel mode, in clock ticks. */
  readonly cpuTicks: number;
  /** Field 24: resident set size in pages. */
  readonly rssPages: number;
}

/** Parses the text of /proc/PID/stat; undefined when it is not in the expected shape. */
export function parseProcStat(text: string): ProcStat | undefined {
  // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // After ')' come fields 3… : state, ppid, pgrp, session, tty_nr, tpgid, flags, minflt, cminflt, majflt,
  // cmajflt, utime, stime, cutime, cstime, priority, nice, num_threads, itrealvalue, starttime.
  const rest = text.slice(close + 2).split(' ');
  const state = rest[0];
  const ppid = Number(rest[1]);
  const pgid = Number(rest[2]);
  const startTime = Number(rest[19]);
  const cpuTicks = Number(rest[11]) + Number(rest[12]);
  const rssPages = Number(rest[21]);
  if (state === undefined || ![pid, ppid, pgid, startTime, cpuTicks, rssPages].every(Number.isSafeInteger)) return undefined;
  return { pid, ppid, pgid, state, startTime, cpuTicks, rssPages };
}

/** The stat of one process, or undefined when it does not exist (or vanished while being read). */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every process visible in /proc, in one pass. Processes that vanish during the pass are left out. */
export function listProcesses(): readonly ProcStat[] {
  let names: readonly string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const stats: ProcStat[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** Zombies still answer kill(pid, 0), so a dead-but-unreaped process must count as gone. */
export function isRunning(stat: ProcStat | undefined): stat is ProcStat {
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** The command line of a process as one string ('' when it is gone; the name in brackets for kernel threads). */
export function readCommand(pid: number): string {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const command = raw.split('\0').filter((part) => part !== '').join(' ');
    if (command !== '') return command;
    return `[${fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`;
  } catch {
    return '';
  }
}

/** Sends a signal, ignoring a target that is already gone (ESRCH) or not ours (EPERM). Returns whether it was sent. */
export function signal(target: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false;
  }
}
