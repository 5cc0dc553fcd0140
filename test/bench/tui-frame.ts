// CPU per frame of the TUI, frames drawn back to back: node dist/test/bench/tui-frame.js [--no-overlay]
import { EventEmitter } from 'node:events';
import { setImmediate as tick } from 'node:timers/promises';
import { info, online, FakeController } from '../tui/fake-controller.js';

class NullTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  frames = 0;
  write = (): boolean => {
    this.frames++;
    return true;
  };
}
class IdleStdin extends EventEmitter {
  readonly isTTY = true;
  read = (): null => null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}
process.env.NODE_ENV ??= 'production';
const [{ render }, { createElement }, { App }, { RowOverlay }, { terminalStream }] = await Promise.all([import('ink'), import('react'), import('../../src/tui/App.js'), import('../../src/tui/row-overlay.js'), import('../../src/tui/frame-writer.js')]);
const fake = new FakeController(Array.from({ length: 5 }, (_, i) => info(`flood${i}`, online(1000 + i), { cpu: 3, memory: 50 * 1024 * 1024 })));
const terminal = new NullTerminal();
const overlay = process.argv.includes('--no-overlay') ? undefined : new RowOverlay();
const stdout = terminal as unknown as NodeJS.WriteStream;
const instance = render(createElement(App, { controller: fake, project: 'bench', mode: 'attach', onExit: () => undefined, overlay, throttleMs: 0, logThrottleMs: 0 }), {
  stdout: overlay ? terminalStream(stdout, overlay) : stdout,
  stdin: new IdleStdin() as unknown as NodeJS.ReadStream,
  exitOnCtrlC: false,
  patchConsole: false,
  debug: true,
});
let n = 0;
const push = (): void => {
  for (let app = 0; app < 5; app++) fake.log(`flood${app}:0`, ...Array.from({ length: 20 }, () => `flood line ${++n} some words to search for, like error or done`));
};
for (let i = 0; i < 50; i++) { push(); await new Promise((r) => setTimeout(r, 1)); }
const FRAMES = 300;
const before = process.cpuUsage();
const start = terminal.frames;
for (let i = 0; i < FRAMES; i++) {
  push();
  await new Promise((r) => setTimeout(r, 1));
  await tick();
}
const used = process.cpuUsage(before);
const drawn = terminal.frames - start;
console.log(`${drawn} frames, ${((used.user + used.system) / 1000 / drawn).toFixed(2)} ms CPU per frame (${overlay ? 'overlay' : 'no overlay'})`);
instance.unmount();
