import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import pidusage from 'pidusage';

/**
 * CPU and memory of single processes from /proc/PID/stat. Each file is opened, read and closed per sample:
 * pidusage keeps an fd open per pid for 60-90 s after the pid is gone, so a crash loop piled up open files.
 * pidusage remains the reader where there is no /proc.
 */

export interface Usage {
  /** Percent of one core since the previous sample of this process (since its start on the first). */
  readonly cpu: number;
  /** Resident memory in bytes. */
  readonly memory: number;
}

/** Linux counts CPU time in USER_HZ ticks, 100 a second on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
/** Readings not refreshed for this long are forgotten, so pids that are gone do not pile up. */
const FORGET_AFTER_MS = 60_000;

interface Reading {
  readonly startTime: number;
  readonly ticks: number;
  readonly at: number;
}

const previous = new Map<number, Reading>();
let pageSize: number | undefined;

function systemPageSize(): number {
  if (pageSize === undefined) {
    try {
      pageSize = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()) || 4096;
    } catch {
      pageSize = 4096;
    }
  }
  return pageSize;
}

async function uptimeSeconds(): Promise<number> {
  try {
    return Number((await fs.readFile('/proc/uptime', 'utf8')).split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

async function readOne(pid: number, uptime: number, now: number): Promise<Usage | undefined> {
  let text: string;
  try {
    text = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // After the command name in parentheses: field 3 (state) first; utime 14, stime 15, starttime 22, rss 24.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const startTime = Number(fields[19]);
  const rssPages = Number(fields[21]);
  if (![ticks, startTime, rssPages].every(Number.isFinite)) return undefined;
  const before = previous.get(pid);
  previous.set(pid, { startTime, ticks, at: now });
  const seconds = before && before.startTime === startTime ? (now - before.at) / 1000 : uptime - startTime / TICKS_PER_SECOND;
  const used = (before && before.startTime === startTime ? ticks - before.ticks : ticks) / TICKS_PER_SECOND;
  const cpu = seconds > 0 && Number.isFinite(seconds) ? (100 * used) / seconds : 0;
  return { cpu, memory: rssPages * systemPageSize() };
}

const HAS_PROC = existsSync('/proc/self/stat');

/** One reading per pid; a pid that is gone is missing from the answer. Never throws. */
export async function readUsage(pids: readonly number[]): Promise<ReadonlyMap<number, Usage>> {
  if (!HAS_PROC) return readUsageWithPidusage(pids);
  const now = Date.now();
  for (const [pid, reading] of previous) if (now - reading.at > FORGET_AFTER_MS) previous.delete(pid);
  if (pids.length === 0) return new Map();
  const uptime = await uptimeSeconds();
  const readings = await Promise.all(pids.map(async (pid) => [pid, await readOne(pid, uptime, now)] as const));
  return new Map(readings.flatMap(([pid, usage]) => (usage ? [[pid, usage] as const] : [])));
}

/** The same answer through pidusage (ps on systems without /proc). */
export async function readUsageWithPidusage(pids: readonly number[]): Promise<ReadonlyMap<number, Usage>> {
  const readings = await Promise.all(
    pids.map(async (pid) => {
      try {
        const stat = await pidusage(pid);
        return [[pid, { cpu: stat.cpu, memory: stat.memory }] as const];
      } catch {
        return [];
      }
    }),
  );
  return new Map(readings.flat());
}
