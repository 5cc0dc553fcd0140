// The TUI's own cost, without a supervisor: node dist/test/bench/tui-render.js [--seconds N]
// Renders the App (a fake Controller) into a 120×40 terminal that discards its output, feeds it 5 apps × 2000
// lines/s in 10 ms batches, and reads this process's CPU time; the floor is the same feeding with no TUI.
import { EventEmitter } from 'node:events';
import { info, online, FakeController } from '../tui/fake-controller.js';

const argSeconds = process.argv.indexOf('--seconds');
const SECONDS = Math.min(60, Math.max(1, Number(argSeconds >= 0 ? process.argv[argSeconds + 1] : 8)));
const APPS = 5;
const LINES_PER_SECOND = 10_000;
const BATCH_MS = 10;

class NullTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  bytes = 0;
  write = (data: string): boolean => {
    this.bytes += data.length;
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

function controller(): FakeController {
  return new FakeController(Array.from({ length: APPS }, (_, i) => info(`flood${i}`, online(1000 + i), { cpu: 3, memory: 50 * 1024 * 1024 })));
}

/** Feeds the flood for SECONDS and returns the CPU seconds this process spent meanwhile. */
async function flood(fake: FakeController): Promise<number> {
  const perBatch = (LINES_PER_SECOND * BATCH_MS) / 1000 / APPS;
  let n = 0;
  const before = process.cpuUsage();
  const end = Date.now() + SECONDS * 1000;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (Date.now() >= end) {
        clearInterval(timer);
        resolve();
        return;
      }
      for (let app = 0; app < APPS; app++) {
        const lines = Array.from({ length: perBatch }, () => `flood line ${++n} some words to search for, like error or done`);
        fake.log(`flood${app}:0`, ...lines);
      }
    }, BATCH_MS);
  });
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

process.env.NODE_ENV ??= 'production';
const [{ render }, { createElement }, { App }, { FrameCost }, { RowOverlay }, { terminalStream }] = await Promise.all([
  import('ink'),
  import('react'),
  import('../../src/tui/App.js'),
  import('../../src/tui/frame-cost.js'),
  import('../../src/tui/row-overlay.js'), import('../../src/tui/frame-writer.js'),
]);

const floor = await flood(controller());
const fake = controller();
const terminal = new NullTerminal();
const frameCost = new FrameCost();
const drawn = { frames: 0, ms: 0 };
const overlay = new RowOverlay();
// As runTui sets it up.
const instance = render(createElement(App, { controller: fake, project: 'bench', mode: 'attach', onExit: () => undefined, frameCost: process.argv.includes('--fixed') ? undefined : frameCost, overlay }), {
  stdout: terminalStream(terminal as unknown as NodeJS.WriteStream, overlay),
  stdin: new IdleStdin() as unknown as NodeJS.ReadStream,
  exitOnCtrlC: false,
  patchConsole: false,
  maxFps: 30,
  onRender: ({ renderTime }) => {
    frameCost.record(renderTime);
    drawn.frames++;
    drawn.ms += renderTime;
  },
});
const withTui = await flood(fake);
instance.unmount();
const memory = process.memoryUsage();
console.log(`render: ${SECONDS} s of 5 apps × 2000 lines/s: feeding alone ${((floor / SECONDS) * 100).toFixed(1)} % of a core; with the TUI ${((withTui / SECONDS) * 100).toFixed(1)} %; TUI ${(((withTui - floor) / SECONDS) * 100).toFixed(1)} %; ${(terminal.bytes / SECONDS / 1024).toFixed(0)} KiB/s to the terminal; ${(drawn.frames / SECONDS).toFixed(1)} frames/s of ${(drawn.ms / Math.max(1, drawn.frames)).toFixed(1)} ms; heap ${(memory.heapUsed / 1048576).toFixed(0)} MiB, rss ${(memory.rss / 1048576).toFixed(0)} MiB`);
