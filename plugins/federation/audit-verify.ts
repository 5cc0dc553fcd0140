import fs from 'node:fs';
import path from 'node:path';
import { ACTIONS_FILE, entryHash, GENESIS, HEAD_FILE, parseEntry, parseHead, type ChainedEntry, type Head } from './audit-chain.js';
import { FederationFileError } from './files.js';

/** Checking the chain of remote actions: the first bad line, named with its number and what is wrong. */

export type ChainProblem = 'unreadable' | 'malformed' | 'sequence' | 'broken_link' | 'hash' | 'truncated' | 'head' | 'head_behind';

export type VerifyResult =
  | { readonly ok: true; readonly file: string; readonly entries: number; readonly head: string }
  | { readonly ok: false; readonly file: string; readonly line: number; readonly problem: ChainProblem; readonly message: string };

export interface ChainRead {
  readonly entries: readonly ChainedEntry[];
  readonly verdict: VerifyResult;
}

const bad = (file: string, line: number, problem: ChainProblem, message: string): VerifyResult => ({ ok: false, file, line, problem, message: `${file}:${line}: ${message}` });

function readText(file: string): string | VerifyResult {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    return bad(file, 0, 'unreadable', `cannot be read (${(error as Error).message})`);
  }
}

function readHead(headFile: string): Head | undefined | VerifyResult {
  try {
    return parseHead(headFile);
  } catch (error) {
    return bad(headFile, 1, 'head', error instanceof FederationFileError ? error.problem : String(error));
  }
}

const isVerdict = (value: unknown): value is VerifyResult => typeof value === 'object' && value !== null && 'problem' in value;

/** Checks one line against the one before it; undefined when it holds. */
function checkLine(file: string, lineNo: number, line: string, previous: Head): ChainedEntry | VerifyResult {
  const entry = parseEntry(line);
  if (typeof entry === 'string') return bad(file, lineNo, 'malformed', `the entry ${entry}`);
  if (entry.seq !== previous.seq + 1) return bad(file, lineNo, 'sequence', `expected entry ${previous.seq + 1}, found entry ${entry.seq} (a line was removed, added or moved)`);
  if (entry.prev !== previous.hash) return bad(file, lineNo, 'broken_link', `does not chain to the entry before it (that entry was changed, or a line is missing)`);
  if (entryHash(entry) !== entry.hash) return bad(file, lineNo, 'hash', 'its contents do not match its hash (the entry was edited)');
  return entry;
}

function checkHead(file: string, headFile: string, tip: Head): VerifyResult {
  const head = readHead(headFile);
  if (isVerdict(head)) return head;
  if (head === undefined) return tip.seq === 0 ? { ok: true, file, entries: 0, head: GENESIS } : bad(headFile, 1, 'head', `is missing while ${path.basename(file)} has ${tip.seq} entries`);
  if (head.seq > tip.seq) return bad(file, tip.seq + 1, 'truncated', `the log ends after entry ${tip.seq} but ${path.basename(headFile)} records ${head.seq} entries (its tail was cut off)`);
  // One entry past the head is what a crash between the two writes leaves; more is not.
  if (head.seq < tip.seq - 1) return bad(file, head.seq + 2, 'head_behind', `${path.basename(headFile)} records ${head.seq} entries; the lines after entry ${head.seq + 1} were added outside node-unit`);
  return bad(file, head.seq, 'head', `entry ${head.seq} is not the one ${path.basename(headFile)} records`);
}

/** Reads and verifies the whole chain in `dir`; entries up to the first bad line are returned. */
export function readChain(dir: string): ChainRead {
  const file = path.join(dir, ACTIONS_FILE);
  const text = readText(file);
  if (typeof text !== 'string') return { entries: [], verdict: text };
  const lines = text.split('\n');
  // The text after the last newline: empty for a whole log, else a torn line.
  const tail = lines.pop() ?? '';
  const entries: ChainedEntry[] = [];
  let tip: Head = { seq: 0, hash: GENESIS };
  for (const [i, line] of lines.entries()) {
    const checked = checkLine(file, i + 1, line, tip);
    if (isVerdict(checked)) return { entries, verdict: checked };
    entries.push(checked);
    tip = { seq: checked.seq, hash: checked.hash };
  }
  if (tail !== '') return { entries, verdict: bad(file, lines.length + 1, 'malformed', 'the last line is torn (no newline at its end)') };
  const head = readHead(path.join(dir, HEAD_FILE));
  const matches = !isVerdict(head) && head !== undefined && ((head.seq === tip.seq && head.hash === tip.hash) || (head.seq === tip.seq - 1 && head.hash === entries.at(-1)?.prev));
  return { entries, verdict: matches ? { ok: true, file, entries: tip.seq, head: tip.hash } : checkHead(file, path.join(dir, HEAD_FILE), tip) };
}

export const verifyChain = (dir: string): VerifyResult => readChain(dir).verdict;
