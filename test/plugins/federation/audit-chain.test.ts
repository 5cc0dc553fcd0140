import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { ActionChain, ACTIONS_FILE, entryHash, HEAD_FILE, type ActionRecord, type ChainedEntry } from '../../../plugins/federation/audit-chain.js';
import { readChain, verifyChain } from '../../../plugins/federation/audit-verify.js';
import { FederationFileError } from '../../../plugins/federation/files.js';
import { PROJECT_ROOT, tempDir } from '../../helpers/tmp.js';

/** The hash-chained log of remote actions, with real files: every kind of tampering is named by its line. */

const record = (i: number): ActionRecord => ({ time: new Date(1_800_000_000_000 + i * 1000).toISOString(), sid: 'a1b2c3', issuer: 'MASTER-KEY-ID', node: 'nas', verb: i % 2 ? 'restart' : 'stop', target: `api:${i}`, result: i === 3 ? 'refused' : 'ok' });

function chainOf(entries: number): { readonly dir: string; readonly chain: ActionChain; readonly lines: () => string[]; readonly write: (lines: readonly string[]) => void } {
  const dir = tempDir('nu-audit-');
  const chain = new ActionChain(dir);
  for (let i = 1; i <= entries; i++) chain.append(record(i));
  const file = path.join(dir, ACTIONS_FILE);
  return { dir, chain, lines: () => fs.readFileSync(file, 'utf8').split('\n').slice(0, -1), write: (lines) => fs.writeFileSync(file, lines.map((l) => `${l}\n`).join('')) };
}

test('appended entries chain by hash, the head names the last one, and verify passes', (t) => {
  const { dir, lines } = chainOf(5);
  const entries = lines().map((line) => JSON.parse(line) as ChainedEntry);
  t.deepEqual(entries.map((e) => e.seq), [1, 2, 3, 4, 5]);
  t.is(entries[0]?.prev, '0'.repeat(128));
  entries.slice(1).forEach((e, i) => t.is(e.prev, entries[i]?.hash ?? 'missing'));
  entries.forEach((e) => t.is(entryHash(e), e.hash));
  t.like(entries[2], { node: 'nas', verb: 'restart', target: 'api:3', result: 'refused', issuer: 'MASTER-KEY-ID', sid: 'a1b2c3' });
  t.deepEqual(verifyChain(dir), { ok: true, file: path.join(dir, ACTIONS_FILE), entries: 5, head: entries[4]?.hash });
  t.is(fs.statSync(path.join(dir, ACTIONS_FILE)).mode & 0o777, 0o600);
  t.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, HEAD_FILE), 'utf8')), { v: 1, seq: 5, hash: entries[4]?.hash });
});

test('an edited field is found at its line', (t) => {
  const { dir, lines, write } = chainOf(5);
  const all = lines();
  all[2] = (all[2] ?? '').replace('"result":"refused"', '"result":"ok"');
  write(all);
  t.like(verifyChain(dir), { ok: false, line: 3, problem: 'hash' });
  const read = readChain(dir);
  t.is(read.entries.length, 2, 'entries before the bad line are still readable');
});

test('an edited entry with its hash recomputed breaks the link of the next line', (t) => {
  const { dir, lines, write } = chainOf(5);
  const all = lines();
  const forged = { ...(JSON.parse(all[1] ?? '') as ChainedEntry), verb: 'flush' };
  all[1] = JSON.stringify({ ...forged, hash: entryHash(forged) });
  write(all);
  t.like(verifyChain(dir), { ok: false, line: 3, problem: 'broken_link' });
});

test('a deleted middle line, reordered lines and an added key are each named', (t) => {
  const deleted = chainOf(5);
  deleted.write(deleted.lines().filter((_, i) => i !== 2));
  t.like(verifyChain(deleted.dir), { ok: false, line: 3, problem: 'sequence' });

  const reordered = chainOf(5);
  const all = reordered.lines();
  reordered.write([all[0] ?? '', all[2] ?? '', all[1] ?? '', all[3] ?? '', all[4] ?? '']);
  t.like(verifyChain(reordered.dir), { ok: false, line: 2, problem: 'sequence' });

  const added = chainOf(3);
  const lines = added.lines();
  lines[1] = (lines[1] ?? '').replace('{', '{"approved":"yes",');
  added.write(lines);
  const verdict = verifyChain(added.dir);
  t.like(verdict, { ok: false, line: 2, problem: 'malformed' });
  if (!verdict.ok) t.regex(verdict.message, /actions\.jsonl:2: the entry has an unexpected key "approved"/);
});

test('a truncated tail is detected through the head; a torn last line too', (t) => {
  const cut = chainOf(5);
  cut.write(cut.lines().slice(0, 3));
  const verdict = verifyChain(cut.dir);
  t.like(verdict, { ok: false, line: 4, problem: 'truncated' });
  if (!verdict.ok) t.regex(verdict.message, /ends after entry 3 but actions\.head records 5 entries/);

  const emptied = chainOf(2);
  emptied.write([]);
  t.like(verifyChain(emptied.dir), { ok: false, line: 1, problem: 'truncated' });

  const torn = chainOf(3);
  fs.writeFileSync(path.join(torn.dir, ACTIONS_FILE), torn.lines().join('\n').slice(0, -10));
  t.like(verifyChain(torn.dir), { ok: false, line: 3, problem: 'malformed' });
});

test('a missing or corrupt head is reported with its path', (t) => {
  const missing = chainOf(2);
  fs.rmSync(path.join(missing.dir, HEAD_FILE));
  t.like(verifyChain(missing.dir), { ok: false, problem: 'head', file: path.join(missing.dir, HEAD_FILE) });
  const corrupt = chainOf(2);
  fs.writeFileSync(path.join(corrupt.dir, HEAD_FILE), '{"v":1,');
  const verdict = verifyChain(corrupt.dir);
  t.like(verdict, { ok: false, problem: 'head', file: path.join(corrupt.dir, HEAD_FILE) });
  if (!verdict.ok) t.true(verdict.message.includes(path.join(corrupt.dir, HEAD_FILE)));
  const unreadable = tempDir('nu-audit-');
  fs.mkdirSync(path.join(unreadable, ACTIONS_FILE));
  t.like(verifyChain(unreadable), { ok: false, problem: 'unreadable', line: 0 });
  t.like(verifyChain(tempDir('nu-audit-')), { ok: true, entries: 0 }, 'no log yet is an empty, valid chain');
});

test('a crash between the entry and the head is recovered; appending to a tampered log is refused', (t) => {
  const { dir, chain } = chainOf(3);
  const headBefore = fs.readFileSync(path.join(dir, HEAD_FILE));
  chain.append(record(4));
  fs.writeFileSync(path.join(dir, HEAD_FILE), headBefore);
  t.like(verifyChain(dir), { ok: true, entries: 4 }, 'one entry past the head is what a crash leaves');
  t.is(chain.append(record(5)).seq, 5);
  t.like(verifyChain(dir), { ok: true, entries: 5 });

  const cut = chainOf(4);
  cut.write(cut.lines().slice(0, 2));
  const error = t.throws(() => cut.chain.append(record(5)), { instanceOf: FederationFileError });
  t.is(error?.file, path.join(cut.dir, ACTIONS_FILE));
  t.regex(error?.message ?? '', /does not end where actions\.head says/);
});

test('two processes appending at once keep one valid chain', async (t) => {
  const dir = tempDir('nu-audit-');
  const module = path.join(PROJECT_ROOT, 'dist', 'plugins', 'federation', 'audit-chain.js');
  const script = `const { ActionChain } = await import(${JSON.stringify(module)}); const c = new ActionChain(process.argv[1]); for (let i = 0; i < 40; i++) c.append({ time: new Date().toISOString(), sid: 's', issuer: process.argv[2], node: 'n', verb: 'restart', target: 'api', result: 'ok' });`;
  const run = (who: string): Promise<number | null> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir, who], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('error', reject);
      child.once('exit', resolve);
    });
  t.deepEqual(await Promise.all([run('a'), run('b')]), [0, 0]);
  t.like(verifyChain(dir), { ok: true, entries: 80 });
});

test('recorded entries wait for the end of the turn, go out in one batch, and are flushed to disk', async (t) => {
  const dir = tempDir('nu-audit-');
  const chain = new ActionChain(dir);
  const errors: unknown[] = [];
  for (let i = 1; i <= 3; i++) chain.record(record(i), (error) => errors.push(error));
  t.is(chain.queued, 3);
  t.false(fs.existsSync(path.join(dir, ACTIONS_FILE)), 'nothing is written in the turn that recorded');
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.is(chain.queued, 0);
  t.like(verifyChain(dir), { ok: true, entries: 3 });
  await chain.flush();
  t.is(chain.durable, 3);
  chain.append(record(4));
  t.like(verifyChain(dir), { ok: true, entries: 4 }, 'an append chains after the batch');
  t.deepEqual(errors, []);
});

test('a process that exits with entries still queued writes and chains them first', async (t) => {
  const dir = tempDir('nu-audit-');
  const module = path.join(PROJECT_ROOT, 'dist', 'plugins', 'federation', 'audit-chain.js');
  const rec = `{ time: new Date().toISOString(), sid: 's', issuer: 'i', node: 'n', verb: 'restart', target: 'api', result: 'ok' }`;
  // One exits at once with process.exit; the other simply runs out of work (the write timer does not hold it).
  const scripts = [`const { ActionChain } = await import(${JSON.stringify(module)}); const c = new ActionChain(process.argv[1]); for (let i = 0; i < 5; i++) c.record(${rec}, () => process.exit(3)); process.exit(0);`, `const { ActionChain } = await import(${JSON.stringify(module)}); const c = new ActionChain(process.argv[1]); for (let i = 0; i < 4; i++) c.record(${rec}, () => process.exit(3));`];
  for (const script of scripts) {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    t.is(code, 0);
  }
  t.like(verifyChain(dir), { ok: true, entries: 9 });
});
