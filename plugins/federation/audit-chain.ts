import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../../src/index.js';
import { done, flushToDisk, flushToDiskSync, onExit } from './disk-sync.js';
import { FederationFileError, readJson, withFileLock } from './files.js';

/**
 * The hash-chained log of remote actions (`actions.jsonl`), apart from the security events of audit.jsonl.
 * Each entry holds the SHA-512 of the one before, so an edited, removed or reordered line breaks the chain
 * at that line. Cutting lines off the end leaves a valid chain, so `actions.head` (replaced by a rename after
 * each entry) records the count and the last hash. One write per entry, on a descriptor opened with O_APPEND,
 * then the head: a process that dies between the two leaves at most one entry the head does not name.
 *
 * The disk is kept off a command's reply path: `record` queues an entry and returns; a short timer after the
 * reply writes every entry queued meanwhile in one batch, and the disk flushes (log, then head, then folder)
 * run after that, off the event loop. `flush()` writes and flushes what is left (shutdown awaits it), and an
 * exiting process writes and flushes what is still queued. A SIGKILL can lose the entries of its last
 * millisecond, a machine crash those its page cache held.
 */

export interface ActionRecord {
  readonly time: string;
  /** Session id of the link the command came over. */
  readonly sid: string;
  /** Fingerprint of the key that issued the command. */
  readonly issuer: string;
  /** The node the action ran on. */
  readonly node: string;
  readonly verb: string;
  readonly target: string;
  /** ok, refused, failed, unknown (a link dropped while it ran), with detail for people. */
  readonly result: string;
  readonly detail?: string;
}

export interface ChainedEntry extends ActionRecord {
  /** 1 for the first entry. */
  readonly seq: number;
  readonly prev: string;
  readonly hash: string;
}

export const ACTIONS_FILE = 'actions.jsonl';
export const HEAD_FILE = 'actions.head';
export const GENESIS = '0'.repeat(128);
const MAX_FIELD = 1024;
const TAIL_BYTES = 16 * 1024;
const FIELDS = ['seq', 'time', 'sid', 'issuer', 'node', 'verb', 'target', 'result', 'detail', 'prev', 'hash'] as const;

export interface Head {
  readonly seq: number;
  readonly hash: string;
}

/** The hash covers every field but itself, in a fixed order (not the line's key order). */
export function entryHash(entry: Omit<ChainedEntry, 'hash'>): string {
  const canonical = JSON.stringify([entry.seq, entry.time, entry.sid, entry.issuer, entry.node, entry.verb, entry.target, entry.result, entry.detail ?? null, entry.prev]);
  return crypto.createHash('sha512').update(canonical).digest('hex');
}

const clip = (text: string): string => (text.length > MAX_FIELD ? `${text.slice(0, MAX_FIELD - 1)}…` : text);

/** A line as an entry, or what is wrong with its shape (the hash and the link are checked by the caller). */
export function parseEntry(line: string): ChainedEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  const fields = value as Readonly<Record<string, unknown>>;
  const extra = Object.keys(fields).find((key) => !(FIELDS as readonly string[]).includes(key));
  if (extra !== undefined) return `has an unexpected key ${JSON.stringify(extra.slice(0, 40))}`;
  if (typeof fields.seq !== 'number' || !Number.isSafeInteger(fields.seq) || fields.seq < 1) return 'seq: expected a positive integer';
  const { time, sid, issuer, node, verb, target, result, detail, prev, hash } = fields;
  const texts = { time, sid, issuer, node, verb, target, result, prev, hash };
  const missing = Object.entries(texts).find(([, value]) => typeof value !== 'string');
  if (missing !== undefined) return `${missing[0]}: expected a string`;
  if (detail !== undefined && typeof detail !== 'string') return 'detail: expected a string';
  const text = (value: unknown): string => String(value);
  return { seq: fields.seq, time: text(time), sid: text(sid), issuer: text(issuer), node: text(node), verb: text(verb), target: text(target), result: text(result), ...(typeof detail === 'string' ? { detail } : {}), prev: text(prev), hash: text(hash) };
}

export function parseHead(file: string): Head | undefined {
  const raw = readJson(file);
  if (raw === undefined) return undefined;
  const fields = typeof raw === 'object' && raw !== null ? (raw as Readonly<Record<string, unknown>>) : {};
  if (fields.v !== 1 || typeof fields.seq !== 'number' || !Number.isSafeInteger(fields.seq) || fields.seq < 0 || typeof fields.hash !== 'string' || !/^[0-9a-f]{128}$/.test(fields.hash)) {
    throw new FederationFileError(file, 'expected {"v": 1, "seq": <count>, "hash": "<128 hex digits>"}');
  }
  return { seq: fields.seq, hash: fields.hash };
}

/** Atomic by rename; made durable after the log by `ActionChain.#sync`. */
const writeHead = (file: string, head: Head): void => writeFileAtomicSync(file, `${JSON.stringify({ v: 1, seq: head.seq, hash: head.hash })}\n`, { mode: 0o600 });

/** The last complete entry of the log, read from its tail only; a torn or foreign last line is an error naming the file. */
function lastEntry(file: string): ChainedEntry | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FederationFileError(file, `cannot be read (${(error as Error).message})`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return undefined;
    const buffer = Buffer.alloc(Math.min(size, TAIL_BYTES));
    fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    const text = buffer.toString('utf8');
    if (!text.endsWith('\n')) throw new FederationFileError(file, 'ends with a torn line; run node-unit audit --verify');
    const entry = parseEntry(text.slice(0, -1).split('\n').at(-1) ?? '');
    if (typeof entry === 'string') throw new FederationFileError(file, `its last line ${entry}; run node-unit audit --verify`);
    return entry;
  } finally {
    fs.closeSync(fd);
  }
}

/** Where the next entry chains from: the head, or the one entry a crash left past it. */
function chainTip(log: string, headFile: string): Head {
  const head = parseHead(headFile);
  const last = lastEntry(log);
  if (!last) {
    if (head && head.seq > 0) throw new FederationFileError(log, `is empty or missing but ${path.basename(headFile)} records ${head.seq} entries (truncated); run node-unit audit --verify`);
    return { seq: 0, hash: GENESIS };
  }
  if (!head) throw new FederationFileError(headFile, `is missing while ${path.basename(log)} has entries; run node-unit audit --verify`);
  if (last.seq === head.seq && last.hash === head.hash) return head;
  const crashedBetween = last.seq === head.seq + 1 && last.prev === head.hash && entryHash(last) === last.hash;
  if (crashedBetween) return { seq: last.seq, hash: last.hash };
  throw new FederationFileError(log, `does not end where ${path.basename(headFile)} says (entry ${head.seq}); run node-unit audit --verify`);
}

export type AuditErrorSink = (error: unknown) => void;

export interface ChainOptions {
  /** A disk flush after the entries were written failed: they are in the log, not known to be on disk. */
  readonly onSyncError?: AuditErrorSink;
}

interface Queued {
  readonly record: ActionRecord;
  readonly onError: AuditErrorSink;
}

export class ActionChain {
  readonly file: string;
  readonly headFile: string;
  readonly #onSyncError: AuditErrorSink;
  readonly #queue: Queued[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** Entries this chain wrote, and how many of them are known to be on disk. */
  #written = 0;
  #durable = 0;
  #syncing: Promise<void> | undefined;
  #syncError: unknown;

  constructor(
    readonly dir: string,
    options: ChainOptions = {},
  ) {
    this.file = path.join(dir, ACTIONS_FILE);
    this.headFile = path.join(dir, HEAD_FILE);
    this.#onSyncError = options.onSyncError ?? (() => undefined);
  }

  /** Entries queued by `record` and not written yet. */
  get queued(): number {
    return this.#queue.length;
  }

  /** How many of the entries this chain wrote are known to be on disk. */
  get durable(): number {
    return this.#durable;
  }

  /** Appends one remote action now; throws a FederationFileError naming the path when the log cannot be trusted. */
  append(record: ActionRecord): ChainedEntry {
    this.#writeQueued();
    const [entry] = this.#write([record]);
    if (!entry) throw new Error('audit: an append wrote nothing');
    return entry;
  }

  /** Queues one remote action, written after the current turn; a log that cannot be trusted is told to `onError`. */
  record(record: ActionRecord, onError: AuditErrorSink): void {
    this.#queue.push({ record, onError });
    onExit(this);
    // A timer: it fires after this turn's replies have left, and after the control socket's writes (setImmediate).
    this.#timer ??= setTimeout(() => this.#writeQueued(), 0).unref();
  }

  /** Writes what is queued and resolves when every entry written so far is on disk; rejects with a failed flush's error. */
  async flush(): Promise<void> {
    this.#writeQueued();
    while (this.#syncing) await this.#syncing;
    if (this.#syncError !== undefined) throw this.#syncError;
  }

  /** What an exiting process still owes: the queued entries written, everything flushed, synchronously. */
  finishSync(): void {
    this.#writeQueued();
    if (this.#durable === this.#written) return;
    flushToDiskSync(this.file);
    flushToDiskSync(this.headFile);
    this.#durable = this.#written;
  }

  #writeQueued(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue.splice(0);
    if (batch.length === 0) return;
    try {
      this.#write(batch.map((queued) => queued.record));
    } catch (error) {
      for (const onError of new Set(batch.map((queued) => queued.onError))) onError(error);
    }
  }

  /** One batch under the lock, chained from the log's tip: each entry's line, then the head naming it. */
  #write(records: readonly ActionRecord[]): readonly ChainedEntry[] {
    const entries = withFileLock(this.headFile, () => {
      let tip = chainTip(this.file, this.headFile);
      const fd = fs.openSync(this.file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
      try {
        return records.map((record) => {
          const body = { seq: tip.seq + 1, time: clip(record.time), sid: clip(record.sid), issuer: clip(record.issuer), node: clip(record.node), verb: clip(record.verb), target: clip(record.target), result: clip(record.result), ...(record.detail === undefined ? {} : { detail: clip(record.detail) }), prev: tip.hash };
          const entry: ChainedEntry = { ...body, hash: entryHash(body) };
          fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
          tip = { seq: entry.seq, hash: entry.hash };
          writeHead(this.headFile, tip);
          return entry;
        });
      } finally {
        fs.closeSync(fd);
      }
    });
    this.#written += entries.length;
    this.#syncSoon();
    return entries;
  }

  #syncSoon(): void {
    onExit(this);
    if (this.#syncing) return;
    this.#syncing = this.#sync()
      .catch((error: unknown) => {
        this.#syncError = error;
        this.#onSyncError(error);
      })
      .finally(() => {
        this.#syncing = undefined;
        // A failing disk is not retried in a loop: the next write tries again.
        if (this.#durable < this.#written && this.#syncError === undefined) this.#syncSoon();
        else if (this.#queue.length === 0 && this.#durable === this.#written) done(this);
      });
  }

  async #sync(): Promise<void> {
    while (this.#durable < this.#written) {
      const upTo = this.#written;
      await flushToDisk(this.file, 'data');
      await flushToDisk(this.headFile, 'all');
      await flushToDisk(this.dir, 'all');
      this.#durable = Math.max(this.#durable, upTo);
      this.#syncError = undefined;
    }
  }
}
