// Loaded with `node --import` into `node-unit up` by the TUI bench: the supervisor's own event-loop delay
// (perf_hooks.monitorEventLoopDelay), written as JSON to $NODE_UNIT_LOOP_DELAY_FILE every 500 ms. Creating
// `<file>.reset` starts a new window. The view process inherits the flag and is left alone.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.NODE_UNIT_LOOP_DELAY_FILE;
if (file !== undefined && process.env.NODE_UNIT_VIEW === undefined) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns: number): number => ns / 1e6;
  setInterval(() => {
    if (fs.existsSync(`${file}.reset`)) {
      fs.rmSync(`${file}.reset`, { force: true });
      histogram.reset();
      return;
    }
    const figures = { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), count: histogram.count };
    fs.writeFileSync(file, JSON.stringify(figures));
  }, 500).unref();
}
