import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** pm2 for comparison only: installed on first use into a cache folder, never a dependency of ours. */
export const PM2_VERSION = '7';
const CACHE = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'node-unit-bench');

export function pm2Binary(): string | undefined {
  const bin = path.join(CACHE, 'node_modules', '.bin', 'pm2');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(CACHE, { recursive: true });
  process.stderr.write(`installing pm2@${PM2_VERSION} into ${CACHE} (first run only)…\n`);
  const result = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', CACHE, `pm2@${PM2_VERSION}`], { stdio: 'inherit' });
  return result.status === 0 && fs.existsSync(bin) ? bin : undefined;
}

export interface Pm2 {
  readonly run: (args: readonly string[]) => string;
  readonly home: string;
  readonly kill: () => void;
}

/** A pm2 with its own PM2_HOME, so benchmarks never touch a user's pm2. */
export function pm2Session(bin: string): Pm2 {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nu-bench-pm2-'));
  const env = { ...process.env, PM2_HOME: home };
  const run = (args: readonly string[]): string => execFileSync(bin, [...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 }); // jlist of 500 apps is megabytes
  return {
    run,
    home,
    kill: () => {
      try {
        run(['kill']);
      } catch {
        // already down
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** `pm2 --version` starts a daemon too: ask a throwaway session, then end its daemon and folder. */
export function pm2Version(bin: string): string {
  const session = pm2Session(bin);
  try {
    return session.run(['--version']).trim().split('\n').pop() ?? '?';
  } catch {
    return '?';
  } finally {
    session.kill();
  }
}
