import { spawnSync } from 'node:child_process';
import { waitFor } from '../helpers/wait.js';

/** A private tmux server (its own socket) with one session: the real CLI in a real terminal. */
export class Tmux {
  private readonly socket = `nu-tui-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  static check(): void {
    const result = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
    if (result.error || result.status !== 0) throw new Error(`these tests need tmux to run the TUI in a real terminal, and \`tmux -V\` failed: ${result.error?.message ?? result.stderr}. Install tmux (apt-get install tmux).`);
  }

  run(...args: readonly string[]): string {
    const result = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  start(command: string, options: { readonly cwd: string; readonly columns: number; readonly rows: number }): void {
    this.run('new-session', '-d', '-s', 'main', '-x', String(options.columns), '-y', String(options.rows), '-c', options.cwd, command);
  }

  /** The screen; with `history`, the lines scrolled off it too. */
  screen(options: { readonly escapes?: boolean; readonly history?: boolean } = {}): string {
    return this.run('capture-pane', '-p', ...(options.escapes ? ['-e'] : []), ...(options.history ? ['-S', '-100000'] : []), '-t', 'main');
  }

  keys(...keys: readonly string[]): void {
    this.run('send-keys', '-t', 'main', ...keys);
  }

  waitScreen(check: (screen: string) => boolean, what: string, timeoutMs = 20_000, options: { readonly history?: boolean } = {}): Promise<string> {
    return waitFor(() => {
      const screen = this.screen(options);
      return check(screen) ? screen : undefined;
    }, { timeoutMs, intervalMs: 50, what: `${what}; the screen:\n${this.screen()}` });
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}
