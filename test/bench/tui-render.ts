// The TUI's own cost, without a supervisor: node dist/test/bench/tui-render.js [--seconds N] [--json FILE]
// Renders the App (a fake Controller) into a 120×40 terminal that discards its output, as runTui sets it up,
// feeds it 5 apps × 2000 lines/s in 10 ms batches, and reads this process's CPU time; the floor is the same
// feeding with no TUI. Meanwhile `?` / `x` are typed every 500 ms and timed until the frame that shows the
// change is written.
import { EventEmitter } from 'node:events';
import { info, online, FakeController } from '../tui/fake-controller.js';
import { FakeStdin } from '../tui/fake-stdin.js';
import { single, writeReport } from './report.js';
import { numberFlag, summarize } from './stats.js';

const SECONDS = Math.min(60, Math.max(1, numberFlag(process.argv, '--seconds', 8)));
const APPS = 5;
const LINES_PER_SECOND = 10_000;
const BATCH_MS = 10;
const KEY_EVERY_MS = 500;

class Terminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  bytes = 0;
  write = (data: string): boolean => {
    this.bytes += data.length;
    this.emit('written', data);
    return true;
  };
}


function controller(): FakeController {
  return new FakeController(Array.from({ length: APPS }, (_, i) => info(`flood${i}`, online(1000 + i), { cpu: 3, memory: 50 * 1024 * 1024 })));
}

/** Feeds the flood for SECONDS, calling `each` every KEY_EVERY_MS; returns the CPU seconds spent meanwhile. */
async function flood(fake: FakeController, each: () => void = () => undefined): Promise<number> {
  const perBatch = (LINES_PER_SECOND * BATCH_MS) / 1000 / APPS;
  let n = 0;
  const before = process.cpuUsage();
  const end = Date.now() + SECONDS * 1000;
  const keys = setInterval(each, KEY_EVERY_MS);
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
  clearInterval(keys);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

process.env.NODE_ENV ??= 'production';
const [{ render }, { createElement }, { App }, { FrameCost }, { RowOverlay }, { terminalStream }] = await Promise.all([
  import('ink'),
  import('react'),
  import('../../src/tui/App.js'),
  import('../../src/tui/frame-cost.js'),
  import('../../src/tui/row-overlay.js'),
  import('../../src/tui/frame-writer.js'),
]);

const floor = await flood(controller());
const fake = controller();
const terminal = new Terminal();
const keyboard = new FakeStdin();
const frameCost = new FrameCost();
const overlay = new RowOverlay();
const drawn = { frames: 0 };
// As runTui sets it up.
const instance = render(createElement(App, { controller: fake, project: 'bench', mode: 'attach', onExit: () => undefined, frameCost, overlay }), {
  stdout: terminalStream(terminal as unknown as NodeJS.WriteStream, overlay),
  stdin: keyboard as unknown as NodeJS.ReadStream,
  exitOnCtrlC: false,
  patchConsole: false,
  incrementalRendering: false,
  maxFps: 60,
  onRender: ({ renderTime }) => {
    frameCost.record(renderTime);
    drawn.frames++;
  },
});

const latencies: number[] = [];
let helpOpen = false;
const pressAndTime = (): void => {
  const [key, shows] = helpOpen ? ['x', 'LOGS'] : ['?', 'copy mode:'];
  helpOpen = !helpOpen;
  const t0 = performance.now();
  const onWrite = (data: string): void => {
    if (!data.includes(shows)) return;
    latencies.push(performance.now() - t0);
    terminal.off('written', onWrite);
  };
  terminal.on('written', onWrite);
  keyboard.write(key);
};
const withTui = await flood(fake, pressAndTime);
instance.unmount();

const tuiShare = ((withTui - floor) / SECONDS) * 100;
const keys = summarize(latencies);
const frameMs = ((withTui - floor) * 1000) / Math.max(1, drawn.frames);
console.log(
  `render: ${SECONDS} s of 5 apps × 2000 lines/s: feeding alone ${((floor / SECONDS) * 100).toFixed(1)} % of a core; with the TUI ${((withTui / SECONDS) * 100).toFixed(1)} %; ` +
    `TUI ${tuiShare.toFixed(1)} % (${(drawn.frames / SECONDS).toFixed(1)} frames/s, ${frameMs.toFixed(1)} ms CPU each with the lines' intake); ${(terminal.bytes / SECONDS / 1024).toFixed(0)} KiB/s to the terminal`,
);
console.log(`render: key → frame written: median ${keys.median.toFixed(1)} ms, min ${keys.min.toFixed(1)}, max ${keys.max.toFixed(1)} (${latencies.length} keys)`);
writeReport(process.argv, {
  bench: 'tui-render',
  figures: [
    { id: 'tui.render.cpu', label: 'TUI alone (fake supervisor), 5 apps × 2000 lines/s', unit: '% of a core', nodeUnit: single(tuiShare), floor: single((floor / SECONDS) * 100), floorLabel: 'feeding the lines without a TUI' },
    { id: 'tui.render.key', label: 'key → frame written, TUI alone under that flood', unit: 'ms', nodeUnit: keys, goal: '< 100 ms', met: keys.median < 100 },
  ],
});
