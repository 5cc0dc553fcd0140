import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * The variable every managed process gets and its descendants inherit. Its value is
 * `<state key>:<supervisor pid>-<start time>/<run>`: the state key names the state folder (so a next start
 * recognises what a run of the same project left), the supervisor part names one supervisor for good, the
 * run number one run of one instance.
 */
export const MARKER_NAME = 'NODE_UNIT_GUARD';

export function stateKey(stateDir: string): string {
  return createHash('sha256').update(path.resolve(stateDir)).digest('hex').slice(0, 12);
}

export function supervisorMarker(stateDir: string, owner: { readonly pid: number; readonly startTime: number }): string {
  return `${stateKey(stateDir)}:${owner.pid}-${owner.startTime}`;
}

/** The supervisor named by a marker value, or undefined when it is not one of this state folder's. */
export function ownerOf(value: string, stateDir: string): { readonly pid: number; readonly startTime: number } | undefined {
  const match = /^([0-9a-f]+):(\d+)-(\d+)(?:\/|$)/.exec(value);
  if (!match || match[1] !== stateKey(stateDir)) return undefined;
  return { pid: Number(match[2]), startTime: Number(match[3]) };
}
