import type { MetricsSample } from '../model/events.js';
import type { InstanceRunner } from './instance.js';
import { sampleTrees } from './metrics.js';

export interface OverLimit {
  readonly runner: InstanceRunner;
  readonly memory: number;
  readonly limit: number;
}

/** One batched sample of every running instance's tree; records it on the runners and finds max_memory_restart breaches. */
export async function measureRunners(runners: readonly InstanceRunner[]): Promise<{ readonly samples: readonly MetricsSample[]; readonly overLimit: readonly OverLimit[] }> {
  const live = runners.filter((runner) => runner.pid !== undefined);
  if (live.length === 0) return { samples: [], overLimit: [] };
  const usage = await sampleTrees(live.map((runner) => runner.pid as number));
  const samples: MetricsSample[] = [];
  const overLimit: OverLimit[] = [];
  for (const runner of live) {
    const tree = runner.pid === undefined ? undefined : usage.get(runner.pid);
    if (!tree) continue;
    runner.cpu = tree.cpu;
    runner.memoryBytes = tree.memory;
    samples.push({ id: runner.id, cpu: tree.cpu, memory: tree.memory });
    const limit = runner.app.maxMemoryBytes;
    if (limit !== undefined && tree.memory > limit && runner.state.status === 'online') overLimit.push({ runner, memory: tree.memory, limit });
  }
  return { samples, overLimit };
}
