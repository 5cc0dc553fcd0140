/** The soak's chaos: restarts through the socket and the CLI, short-lived clients, log reads and subscriptions. */
import { setTimeout as delay } from 'node:timers/promises';
import { connectControl, type ControlClient } from '../../src/control/client.js';
import { runCli } from '../helpers/cli.js';
import { seeded } from './control-garbage.js';
import { RESTARTABLE } from './soak-project.js';

export interface ChaosCounts {
  socketRestarts: number;
  cliCommands: number;
  cliFailures: number;
  shortClients: number;
  subscriptions: number;
  logReads: number;
  errors: string[];
}

export function emptyCounts(): ChaosCounts {
  return { socketRestarts: 0, cliCommands: 0, cliFailures: 0, shortClients: 0, subscriptions: 0, logReads: 0, errors: [] };
}

const STEP_MS = 250;

/** Runs until `signal` aborts; one action every STEP_MS, chosen by a seeded random. */
export async function runChaos(client: ControlClient, socketPath: string, dir: string, signal: AbortSignal, counts: ChaosCounts): Promise<void> {
  const random = seeded(20_261_123);
  const note = (error: unknown): void => {
    if (counts.errors.length < 20) counts.errors.push(error instanceof Error ? error.message : String(error));
  };
  while (!signal.aborted) {
    const roll = random();
    const target = RESTARTABLE[Math.floor(random() * RESTARTABLE.length)] ?? 'steady0';
    try {
      if (roll < 0.4) {
        await client.restart(target);
        counts.socketRestarts++;
      } else if (roll < 0.45) {
        const result = await runCli(random() < 0.5 ? ['restart', target] : ['ls'], { cwd: dir, timeoutMs: 30_000 });
        counts.cliCommands++;
        if (result.code !== 0) counts.cliFailures++;
      } else if (roll < 0.7) {
        // A client that connects, asks once and leaves: its socket must not stay open in the supervisor.
        const short = await connectControl(socketPath);
        await short.list();
        await short.close();
        counts.shortClients++;
      } else if (roll < 0.85) {
        await client.logs(target, { lines: 200 });
        counts.logReads++;
      } else {
        const watcher = await connectControl(socketPath);
        const stop = watcher.subscribe(() => undefined, { logs: 'all' });
        await delay(200);
        stop();
        await watcher.close();
        counts.subscriptions++;
      }
    } catch (error) {
      note(error);
    }
    await delay(STEP_MS, undefined, { signal }).catch(() => undefined);
  }
}
