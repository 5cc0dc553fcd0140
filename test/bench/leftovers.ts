/** Processes a bench left running: new since the run began, and tied to the run's folders by command line or cwd. */
import fs from 'node:fs';

export interface Proc {
  readonly pid: number;
  readonly cmdline: string;
  readonly cwd: string;
}

function read(pid: number): Proc | undefined {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (state.slice(state.lastIndexOf(')') + 2).startsWith('Z')) return undefined; // a zombie is already dead
    let cwd = '';
    try {
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      // another user's process: its cwd is not ours to read
    }
    return { pid, cmdline, cwd };
  } catch {
    return undefined;
  }
}

export function processes(): Proc[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).flatMap((pid) => read(pid) ?? []);
}

export function leftovers(existing: ReadonlySet<number>, folders: readonly string[]): Proc[] {
  return processes().filter((p) => p.pid !== process.pid && !existing.has(p.pid) && folders.some((f) => p.cmdline.includes(f) || p.cwd.startsWith(f)));
}
