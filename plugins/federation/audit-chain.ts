import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FederationFileError, readJson, withFileLock, writeAtomic } from './files.js';

/**
 * The hash-chained log of remote actions (`actions.jsonl`), apart from the security events of audit.jsonl.
 * Each entry holds the SHA-512 of the one before, so an edited, removed or reordered line breaks the chain
 * at that line. Cutting lines off the end leaves a valid chain, so `actions.head` (written atomically after
 * each append) records the count and the last hash. One write per entry, on a descriptor opened with
 * O_APPEND; the log is fsynced before the head, so a crash leaves at most one entry the head does not name.
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

const writeHead = (file: string, head: Head): void => writeAtomic(file, `${JSON.stringify({ v: 1, seq: head.seq, hash: head.hash })}\n`);

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

export class ActionChain {
  readonly file: string;
  readonly headFile: string;

  constructor(readonly dir: string) {
    this.file = path.join(dir, ACTIONS_FILE);
    this.headFile = path.join(dir, HEAD_FILE);
  }

  /** Appends one remote action; throws a FederationFileError naming the path when the log cannot be trusted. */
  append(record: ActionRecord): ChainedEntry {
    return withFileLock(this.headFile, () => {
      const tip = chainTip(this.file, this.headFile);
      const body = { seq: tip.seq + 1, time: clip(record.time), sid: clip(record.sid), issuer: clip(record.issuer), node: clip(record.node), verb: clip(record.verb), target: clip(record.target), result: clip(record.result), ...(record.detail === undefined ? {} : { detail: clip(record.detail) }), prev: tip.hash };
      const entry: ChainedEntry = { ...body, hash: entryHash(body) };
      const fd = fs.openSync(this.file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
      try {
        fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
        fs.fdatasyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      writeHead(this.headFile, { seq: entry.seq, hash: entry.hash });
      return entry;
    });
  }
}
