import type { LogLine } from '../../model/events.js';
import { unpackRun } from '../../model/log-runs.js';

/**
 * The merged log pane's remote lines: one `follow` per online worker (the federation's bounded relay), its
 * tail first, then `follow.next` long polls, one at a time per node. A follow ends when its node's link
 * drops or the master forgets it; it is opened again once the node is back online, and shows only the part
 * of its tail not shown before (a worker that restarted numbers its lines from the start again: its tail is
 * then left out, its new lines are not). Lines a slow view could not take arrive as a count, shown as such.
 */

export type PluginCall = (plugin: string, method: string, params: unknown) => Promise<unknown>;

export type RemoteLogItem = { readonly kind: 'lines'; readonly node: string; readonly lines: readonly LogLine[] } | { readonly kind: 'note'; readonly node: string; readonly text: string };

const TAIL_LINES = 200;
const WAIT_MS = 1000;

type Fields = Readonly<Record<string, unknown>>;
const fieldsOf = (value: unknown): Fields | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined);

/** A line's fields, or a run's (its text standing for `line`, with its count), as the pane shows them; undefined when they do not fit. */
function decodeFields(f: Fields | undefined, text: 'line' | 'text'): { readonly line: LogLine; readonly count: number } | undefined {
  const body = f?.[text];
  if (!f || typeof body !== 'string' || typeof f.app !== 'string' || typeof f.id !== 'string' || typeof f.seq !== 'number') return undefined;
  const index = Number(f.id.slice(f.id.lastIndexOf(':') + 1));
  if (!Number.isSafeInteger(index)) return undefined;
  const count = typeof f.count === 'number' && Number.isSafeInteger(f.count) && f.count > 0 ? f.count : 1;
  return { line: { seq: f.seq, id: `${f.app}:${index}`, app: f.app, stream: f.stream === 'err' ? 'err' : 'out', time: typeof f.time === 'number' ? f.time : 0, line: body }, count };
}

const decodeLine = (raw: unknown): LogLine | undefined => decodeFields(fieldsOf(raw), 'line')?.line;

/** A run of lines (`follow.next` answers consecutive lines as one; see model/log-runs.ts) into `lines`; one that does not fit is left out. */
function decodeRun(raw: unknown, lines: LogLine[]): void {
  const fields = decodeFields(fieldsOf(raw), 'text');
  if (!fields) return;
  const { line: text, ...first } = fields.line;
  const into: LogLine[] = [];
  if (unpackRun({ ...first, count: fields.count, text }, into, 'run') === undefined) for (const line of into) lines.push(line);
}

const linesOf = (raw: unknown): readonly LogLine[] => (Array.isArray(raw) ? raw.flatMap((item: unknown) => decodeLine(item) ?? []) : []);

/** The tail's lines of one node, from `follow`'s answer. */
function tailOf(opened: Fields, node: string): readonly LogLine[] {
  const tails = Array.isArray(opened.tails) ? opened.tails : [];
  const mine = fieldsOf(tails.find((tail: unknown) => fieldsOf(tail)?.node === node));
  return mine?.status === 'ok' ? linesOf(fieldsOf(mine.value)?.lines) : [];
}

/** What one `follow.next` brought: lines, a count of lines dropped, or a note that ends the follow. */
function decodeItems(raw: unknown, node: string): { readonly items: readonly RemoteLogItem[]; readonly ended: boolean } {
  if (!Array.isArray(raw)) return { items: [{ kind: 'note', node, text: 'the master answered the follow with something else than a list' }], ended: true };
  const items: RemoteLogItem[] = [];
  let ended = false;
  const lines: LogLine[] = [];
  for (const entry of raw) {
    const f = fieldsOf(entry);
    if (f?.kind === 'run') decodeRun(f.run, lines);
    else if (f?.kind === 'line') {
      const line = decodeLine(f.line);
      if (line) lines.push(line);
    } else if (f?.kind === 'dropped' && typeof f.count === 'number') {
      items.push({ kind: 'lines', node, lines: lines.splice(0) }, { kind: 'note', node, text: `{dropped: ${f.count}}` });
    } else if (f?.kind === 'note' && typeof f.message === 'string') {
      items.push({ kind: 'lines', node, lines: lines.splice(0) }, { kind: 'note', node, text: f.message });
      ended = true;
    }
  }
  items.push({ kind: 'lines', node, lines });
  return { items: items.filter((item) => item.kind === 'note' || item.lines.length > 0), ended };
}

export class RemoteLogs {
  readonly #open = new Map<string, string | undefined>();
  /** The last seq shown per node: a follow opened again shows only the part of its tail not shown yet. */
  readonly #lastSeq = new Map<string, number>();
  #disposed = false;

  constructor(
    private readonly call: PluginCall,
    private readonly plugin: string,
    private readonly sink: (items: readonly RemoteLogItem[]) => void,
  ) {}

  /** Opens a follow for each online node that has none. */
  sync(online: readonly string[]): void {
    for (const node of online) if (!this.#open.has(node)) void this.#follow(node);
  }

  dispose(): void {
    this.#disposed = true;
    for (const id of this.#open.values()) if (id !== undefined) void this.call(this.plugin, 'follow.close', { id }).catch(() => undefined);
    this.#open.clear();
  }

  #pass(items: readonly RemoteLogItem[]): void {
    for (const item of items) if (item.kind === 'lines' && item.lines.length > 0) this.#lastSeq.set(item.node, item.lines.at(-1)?.seq ?? -1);
    const kept = items.filter((item) => item.kind === 'note' || item.lines.length > 0);
    if (kept.length > 0) this.sink(kept);
  }

  async #follow(node: string): Promise<void> {
    this.#open.set(node, undefined);
    let id: string | undefined;
    try {
      const opened = fieldsOf(await this.call(this.plugin, 'follow', { node, command: { verb: 'logs', lines: TAIL_LINES } }));
      if (!opened || typeof opened.id !== 'string') throw new Error('the master answered follow without an id');
      id = opened.id;
      if (this.#disposed) return void this.call(this.plugin, 'follow.close', { id }).catch(() => undefined);
      this.#open.set(node, id);
      const shown = this.#lastSeq.get(node) ?? -1;
      this.#pass([{ kind: 'lines', node, lines: tailOf(opened, node).filter((line) => line.seq > shown) }]);
      for (;;) {
        const { items, ended } = decodeItems(await this.call(this.plugin, 'follow.next', { id, waitMs: WAIT_MS }), node);
        if (this.#disposed) return;
        this.#pass(items);
        if (ended) break;
      }
    } catch {
      // The node went away or the master forgot the follow: it is opened again when the node is next online.
    } finally {
      if (!this.#disposed) {
        this.#open.delete(node);
        if (id !== undefined) void this.call(this.plugin, 'follow.close', { id }).catch(() => undefined);
      }
    }
  }
}
