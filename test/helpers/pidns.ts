import fs from 'node:fs';
import { readProcStat } from '../../src/util/proc.js';

/** The pid namespace a process lives in (`pid:[4026532xxx]`), or undefined once it is gone. */
export function pidNamespace(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/** Every process of a pid namespace, seen from outside it. */
export function namespaceProcesses(namespace: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pidNamespace(pid) === namespace);
}

/** The processes of a namespace that are zombies (ended, not reaped). */
export function zombies(namespace: string): number[] {
  return namespaceProcesses(namespace).filter((pid) => readProcStat(pid)?.state === 'Z');
}

/** The direct children of a process. */
export function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
