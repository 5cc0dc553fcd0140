import { setTimeout as delay } from 'node:timers/promises';
import { connectControl, type ControlClient } from '../../control/client.js';
import { ControlError } from '../../control/errors.js';
import { logRunShape, type LogRun } from '../../control/log-runs.js';
import { linesOfText, runAfter } from '../../model/log-runs.js';
import { fits } from '../../control/schema.js';
import type { LogLine } from '../../model/events.js';
import { locateProject, printError, withClient } from '../control-target.js';
import { type LogsOptions, type Printer, type RunPrinter } from './logs.js';
import { decodeOutcomes, isFields, namedIds, namedPrinters, paramsOf, printOutcomes, type NodeOptions, type RemoteCommand } from './remote.js';

/**
 * `logs -f --node`: every node's tail, then their new lines as the master relays them, until Ctrl-C. When the
 * master goes away (a restart), the follow waits for it and for the nodes it followed, opens again, and shows
 * only lines it had not shown: no line twice, and the lines written meanwhile come with the new tails.
 */

type FollowItem = { readonly kind: 'run'; readonly run: LogRun } | { readonly kind: 'dropped'; readonly count: number } | { readonly kind: 'note'; readonly node: string; readonly message: string };

/** One item of a follow, read field by field; what does not fit is left out. A run (see packLines) is named by its node, and kept whole. */
function followItem(raw: unknown): FollowItem | undefined {
  if (!isFields(raw)) return undefined;
  if (raw.kind === 'dropped' && typeof raw.count === 'number') return { kind: 'dropped', count: raw.count };
  if (raw.kind === 'note' && typeof raw.node === 'string' && typeof raw.message === 'string') return { kind: 'note', node: raw.node, message: raw.message };
  const checked = raw.kind === 'run' ? fits(logRunShape, raw.run, 'run') : undefined;
  if (!checked?.ok) return undefined;
  const run = checked.value;
  if (run.node === undefined || run.skipped !== undefined || (run.count > 1 && linesOfText(run.text) !== run.count)) return undefined;
  return { kind: 'run', run: { ...run, ...namedIds(run.node, run) } };
}

/** The last line shown per node: a line is new when it comes later by sequence or by time (a restarted node counts from 1 again). */
class Shown {
  readonly #last = new Map<string, { readonly seq: number; readonly time: number }>();

  fresh(line: LogLine): boolean {
    const node = line.node ?? '';
    const last = this.#last.get(node);
    if (last && line.seq <= last.seq && line.time <= last.time) return false;
    this.#last.set(node, { seq: line.seq, time: line.time });
    return true;
  }

  /** The part of a run not shown yet (its lines share a time), or undefined when all of it was. */
  freshRun(run: LogRun): LogRun | undefined {
    const node = run.node ?? '';
    const last = this.#last.get(node);
    const fresh = runAfter(run, last && run.time <= last.time ? last.seq : -1);
    if (fresh) this.#last.set(node, { seq: fresh.seq + fresh.count - 1, time: fresh.time });
    return fresh;
  }
}

type Round = { readonly kind: 'done'; readonly code: number } | { readonly kind: 'lost'; readonly followed: readonly string[] };

/** `follow.next` calls kept in flight: the master answers them in order, so the round trip does not bound the rate. */
const POLLS_IN_FLIGHT = 3;

/** The follow's polls, oldest first, topped up to POLLS_IN_FLIGHT; a poll left unread when the follow ends is ignored. */
class Polls {
  readonly #inFlight: Promise<unknown>[] = [];

  constructor(private readonly poll: () => Promise<unknown>) {}

  next(): Promise<unknown> {
    while (this.#inFlight.length < POLLS_IN_FLIGHT) {
      const call = this.poll();
      call.catch(() => undefined);
      this.#inFlight.push(call);
    }
    return this.#inFlight.shift() ?? this.poll();
  }
}

const isLost = (error: unknown): boolean => error instanceof ControlError && (error.code === 'closed' || error.code === 'unresponsive');


interface Shows {
  readonly shown: Shown;
  /** Tails, as lines. */
  readonly lines: Printer;
  /** What the follow relays, as runs. */
  readonly runs: RunPrinter;
}

async function followOn(client: ControlClient, command: RemoteCommand, options: NodeOptions & LogsOptions, shows: Shows, stopped: Promise<undefined>): Promise<Round> {
  const { shown, lines: show, runs: showRuns } = shows;
  const opened = await client.callPlugin('federation', 'follow', paramsOf(command, options));
  const id = isFields(opened) && typeof opened.id === 'string' ? opened.id : undefined;
  const tails = decodeOutcomes(isFields(opened) ? opened.tails : undefined);
  if (id === undefined || typeof tails === 'string') {
    printError(typeof tails === 'string' ? tails : 'the master did not open a follow');
    return { kind: 'done', code: 1 };
  }
  printOutcomes(command, tails, show);
  const code = tails.every((o) => o.status === 'ok') ? 0 : 1;
  const polls = new Polls(() => client.callPlugin('federation', 'follow.next', { id, waitMs: 1000 }));
  for (;;) {
    let items: unknown;
    try {
      items = await Promise.race([polls.next(), stopped]);
    } catch (error) {
      if (isLost(error)) return { kind: 'lost', followed: tails.filter((o) => o.status === 'ok').map((o) => o.node) };
      throw error;
    }
    if (!Array.isArray(items)) break;
    const runs: LogRun[] = [];
    for (const item of items.map(followItem)) {
      if (item?.kind === 'run') {
        const fresh = shown.freshRun(item.run);
        if (fresh) runs.push(fresh);
      } else if (item) {
        showRuns(runs.splice(0));
        process.stderr.write(item.kind === 'dropped' ? `node-unit | [… ${item.count} line${item.count === 1 ? '' : 's'} dropped: this viewer read too slowly]\n` : `node-unit | ${item.message}\n`);
      }
    }
    showRuns(runs);
  }
  await client.callPlugin('federation', 'follow.close', { id }).catch(() => undefined);
  return { kind: 'done', code };
}

/** A new connection once the master is back and the nodes followed before are online again (waited for, up to a minute). */
async function reconnect(socketPath: string, followed: readonly string[], stopped: () => boolean): Promise<ControlClient | undefined> {
  const deadline = Date.now() + 60_000;
  while (!stopped()) {
    const client = await connectControl(socketPath).catch(() => undefined);
    if (client) {
      const nodes = await client.callPlugin('federation', 'nodes').catch(() => undefined);
      const online = new Set(Array.isArray(nodes) ? nodes.flatMap((n: unknown) => (isFields(n) && n.state === 'online' && typeof n.name === 'string' ? [n.name] : [])) : []);
      if (Array.isArray(nodes) && (followed.every((node) => online.has(node) || !nodes.some((n: unknown) => isFields(n) && n.name === node)) || Date.now() > deadline)) return client;
      await client.close();
    }
    await delay(250);
  }
  return undefined;
}

export function remoteFollow(command: RemoteCommand, options: NodeOptions & LogsOptions): Promise<number> {
  return withClient(options, async (first) => {
    const shown = new Shown();
    const print = namedPrinters(options);
    const shows: Shows = { shown, lines: (lines) => print.lines(lines.filter((line) => shown.fresh(line))), runs: print.runs };
    let interrupted = false;
    const stopped = new Promise<undefined>((resolve) => process.once('SIGINT', () => ((interrupted = true), resolve(undefined))));
    for (let client = first; ; ) {
      const round = await followOn(client, command, options, shows, stopped).finally(() => (client === first ? undefined : client.close()));
      if (round.kind === 'done') return round.code;
      process.stderr.write('node-unit | the master went away; following again once it and its nodes are back\n');
      const next = await reconnect(locateProject(options).socketPath, round.followed, () => interrupted);
      if (!next) return 0;
      client = next;
    }
  });
}
