import { useCallback } from 'react';
import type { ActionResult, Controller } from '../../model/controller.js';
import { assertNever } from '../../model/assert.js';
import type { Effect, Message, UiState } from '../ui-state.js';
import { decodeOutcomes, type RunOutcome } from '../cluster/decode.js';
import { FEDERATION } from './useCluster.js';
import { mouseReporting } from '../mouse.js';

export interface EffectOptions {
  readonly controller: Controller;
  readonly mode: 'up' | 'attach';
  readonly onExit: (result: 'quit' | 'detach') => void;
  /** Writes to the terminal behind Ink's back (OSC 52). */
  readonly writeRaw: ((data: string) => void) | undefined;
  /** Saves copied text somewhere the user can find it and returns where. */
  readonly saveCopy: ((text: string) => Promise<string>) | undefined;
  readonly setUi: (next: (prev: UiState) => UiState) => void;
}

const PAST: Readonly<Record<'restart' | 'stop' | 'start', string>> = { restart: 'restarted', stop: 'stopped', start: 'started' };
const ING: Readonly<Record<'restart' | 'stop' | 'start', string>> = { restart: 'restarting', stop: 'stopping', start: 'starting' };

export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

type Say = (message: Omit<Message, 'at'>) => void;

const NOT_OK = (o: RunOutcome): string => `${o.node}: ${o.status}${o.message === undefined ? '' : ` (${o.message})`}`;

/**
 * What the nodes answered, in one footer line: every node that did not do it is named with why; with
 * `all`, so are the ones that did.
 */
function outcomeMessage(effect: Extract<Effect, { kind: 'action' }> & { readonly node: string }, outcomes: readonly RunOutcome[]): Omit<Message, 'at'> {
  const what = `${effect.action} ${effect.target} on ${effect.node === 'all' ? 'all nodes' : effect.node}`;
  if (effect.node !== 'all') {
    const outcome = outcomes.find((o) => o.node === effect.node);
    if (!outcome) return { text: `${what}: no answer from node ${effect.node}`, tone: 'error' };
    if (outcome.status === 'ok') return { text: `${PAST[effect.action]} ${effect.target} on ${effect.node}`, tone: 'ok' };
    return { text: `${what}: ${outcome.status}${outcome.message === undefined ? '' : ` (${outcome.message})`}`, tone: 'error' };
  }
  const ok = outcomes.filter((o) => o.status === 'ok').map((o) => o.node);
  const failed = outcomes.filter((o) => o.status !== 'ok');
  if (outcomes.length === 0) return { text: `${what}: no node answered`, tone: 'error' };
  if (failed.length === 0) return { text: `${PAST[effect.action]} ${effect.target} on ${ok.length} node${ok.length === 1 ? '' : 's'}: ${ok.join(', ')}`, tone: 'ok' };
  return { text: `${what}: ${failed.map(NOT_OK).join('; ')}${ok.length > 0 ? `; done on ${ok.join(', ')}` : ''}`, tone: 'error' };
}

/** An action through the master: the federation's `run`, as `<verb> <target> --node <node|all>`; each node's outcome is said by name. */
function runRemote(controller: Controller, effect: Extract<Effect, { kind: 'action' }> & { readonly node: string }, say: Say): void {
  const where = effect.node === 'all' ? 'all nodes' : effect.node;
  const what = `${effect.action} ${effect.target} on ${where}`;
  if (!controller.callPlugin) return say({ text: `${what}: this view cannot reach the federation plugin`, tone: 'error' });
  say({ text: `${ING[effect.action]} ${effect.target} on ${where}…`, tone: 'info' });
  const params = { node: effect.node, command: { verb: effect.action, target: effect.target } };
  void controller.callPlugin(FEDERATION, 'run', params).then(
    (raw) => {
      const outcomes = decodeOutcomes(raw);
      say(typeof outcomes === 'string' ? { text: `${what}: ${outcomes}`, tone: 'error' } : outcomeMessage(effect, outcomes));
    },
    (error: unknown) => say({ text: `${what}: ${error instanceof Error ? error.message : String(error)}`, tone: 'error' }),
  );
}

/** Runs what a key asked for; results come back as a footer message. */
export function useEffectRunner({ controller, mode, onExit, writeRaw, saveCopy, setUi }: EffectOptions): (effect: Effect) => void {
  return useCallback(
    (effect: Effect) => {
      const say: Say = (message) => setUi((prev) => ({ ...prev, message: { ...message, at: Date.now() } }));
      switch (effect.kind) {
        case 'leave':
          if (effect.how === 'detach') return onExit('detach');
          if (mode === 'up') return onExit('quit');
          // Attached: the supervisor stops everything and closes the connection, which ends the view.
          say({ text: 'stopping everything…', tone: 'info' });
          void controller.shutdown('stopped from attach').catch(() => undefined);
          return;
        case 'mouse':
          return writeRaw?.(mouseReporting(effect.on));
        case 'action': {
          if (effect.node !== undefined) return runRemote(controller, { ...effect, node: effect.node }, say);
          say({ text: `${ING[effect.action]} ${effect.target}…`, tone: 'info' });
          const call = (): Promise<ActionResult> => controller[effect.action](effect.target);
          void call().then(
            (result) => say(result.ok ? { text: `${PAST[effect.action]} ${effect.target}`, tone: 'ok' } : { text: `${effect.action} ${effect.target}: ${result.message}`, tone: 'error' }),
            (error: unknown) => say({ text: `${effect.action} ${effect.target}: ${error instanceof Error ? error.message : String(error)}`, tone: 'error' }),
          );
          return;
        }
        case 'copy': {
          writeRaw?.(osc52(effect.text));
          const copied = `copied ${effect.lines} line${effect.lines === 1 ? '' : 's'}`;
          if (!saveCopy) return say({ text: `${copied} (OSC 52)`, tone: 'ok' });
          say({ text: `${copied} (OSC 52); saving…`, tone: 'info' });
          void saveCopy(effect.text).then(
            (where) => say({ text: `${copied} (OSC 52) and saved to ${where}`, tone: 'ok' }),
            (error: unknown) => say({ text: `${copied} (OSC 52); saving failed: ${error instanceof Error ? error.message : String(error)}`, tone: 'error' }),
          );
          return;
        }
        default:
          return assertNever(effect, 'effect');
      }
    },
    [controller, mode, onExit, writeRaw, saveCopy, setUi],
  );
}
