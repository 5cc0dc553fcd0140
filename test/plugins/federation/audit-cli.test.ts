import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { ActionChain, ACTIONS_FILE } from '../../../plugins/federation/audit-chain.js';
import { runCli } from '../../helpers/cli.js';
import { FIXTURES, tempDir, writeFiles } from '../../helpers/tmp.js';

/** `node-unit audit` and `audit --verify` through the real CLI, on a node whose chain is real files. */

function project(): { readonly dir: string; readonly data: string } {
  const dir = tempDir('nu-audit-cli-');
  writeFiles(dir, { 'ecosystem.config.cjs': `const { federation } = require('node-unit/federation');\nmodule.exports = { apps: [{ name: 'api', script: ${JSON.stringify(path.join(FIXTURES, 'procs', 'forever.js'))} }], plugins: [federation({ listen: '127.0.0.1:0', name: 'hub' })] };\n` });
  const data = path.join(dir, '.node-unit', 'federation');
  fs.mkdirSync(data, { recursive: true });
  const chain = new ActionChain(data);
  const base = { sid: '0123456789abcdef', issuer: 'ABCDEFG-HIJKLMN', time: '2027-01-15T10:00:00.000Z' };
  chain.append({ ...base, node: 'nas', verb: 'restart', target: 'api', result: 'ok' });
  chain.append({ ...base, node: 'pi', verb: 'stop', target: 'sensor', result: 'refused', detail: 'rule trust.verbs' });
  chain.append({ ...base, node: 'nas', verb: 'logs', target: 'all', result: 'ok' });
  return { dir, data };
}

test('audit lists the remote actions, --node filters, --json prints them with the verdict', async (t) => {
  const { dir } = project();
  const all = await runCli(['audit'], { cwd: dir });
  t.is(all.code, 0, all.stderr);
  t.regex(all.stdout, /^#\s+TIME\s+NODE\s+VERB\s+TARGET\s+RESULT\s+ISSUER\s+SESSION\n/);
  t.regex(all.stdout, /2\s+2027-01-15T10:00:00.000Z\s+pi\s+stop\s+sensor\s+refused: rule trust.verbs\s+ABCDEFG\s+01234567/);
  t.is(all.stdout.trim().split('\n').length, 4);
  const nas = await runCli(['audit', '--node', 'nas', '--json'], { cwd: dir });
  t.is(nas.code, 0, nas.stderr);
  const parsed = JSON.parse(nas.stdout) as { entries: { seq: number; node: string }[]; verify: { ok: boolean; entries: number } };
  t.deepEqual(parsed.entries.map((e) => [e.seq, e.node]), [[1, 'nas'], [3, 'nas']]);
  t.like(parsed.verify, { ok: true, entries: 3 });
});

test('audit --verify passes on an intact chain and names the first bad line of a tampered one', async (t) => {
  const { dir, data } = project();
  const intact = await runCli(['audit', '--verify'], { cwd: dir });
  t.is(intact.code, 0, intact.stderr);
  t.regex(intact.stderr, /^ok .*actions\.jsonl: 3 entries, chain intact/);

  const file = path.join(data, ACTIONS_FILE);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"result":"refused"', '"result":"ok"'));
  const tampered = await runCli(['audit', '--verify'], { cwd: dir });
  t.is(tampered.code, 1);
  t.true(tampered.stderr.includes(`error ${file}:2: its contents do not match its hash`), tampered.stderr);
  const json = await runCli(['audit', '--verify', '--json'], { cwd: dir });
  t.like(JSON.parse(json.stdout), { ok: false, line: 2, problem: 'hash', file });

  const listed = await runCli(['audit'], { cwd: dir });
  t.is(listed.code, 1, 'listing a broken chain fails too');
  t.is(listed.stdout.trim().split('\n').length, 2, 'only the entries before the bad line are shown');
  t.regex(listed.stderr, /:2: its contents do not match its hash/);
});
