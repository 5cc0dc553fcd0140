import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import type { ProcStat } from '../util/proc.js';

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

function usageOf(stat: ProcStat, uptime: number, now: number): Usage {
  const before = previous.get(stat.pid);
  previous.set(stat.pid, { startTime: stat.startTime, ticks: stat.cpuTicks, at: now });
  const same = before !== undefined && before.startTime === stat.startTime;
  const seconds = same ? (now - before.at) / 1000 : uptime - stat.startTime / TICKS_PER_SECOND;
  const used = (same ? stat.cpuTicks - before.ticks : stat.cpuTicks) / TICKS_PER_SECOND;
  const cpu = seconds > 0 && Number.isFinite(seconds) ? (100 * used) / seconds : 0;
  return { cpu, memory: stat.rssPages * systemPageSize() };
}

const HAS_PROC = existsSync('/proc/self/stat');

/**
 * One reading per process, from stats already read (the table the tree walk read): CPU since the previous
 * reading of the same process. Never throws.
 */
export async function usageFromStats(stats: readonly ProcStat[]): Promise<ReadonlyMap<number, Usage>> {
  const now = Date.now();
  for (const [pid, reading] of previous) if (now - reading.at > FORGET_AFTER_MS) previous.delete(pid);
  if (stats.length === 0) return new Map();
  const uptime = await uptimeSeconds();
  return new Map(stats.map((stat) => [stat.pid, usageOf(stat, uptime, now)] as const));
}

export const procAvailable = (): boolean => HAS_PROC;

/** The same answer through pidusage (ps on systems without /proc). */
export async function readUsageWithPidusage(pids: readonly number[]): Promise<ReadonlyMap<number, Usage>> {
  // Loaded only where there is no /proc.
  const { default: pidusage } = await import('pidusage');
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
