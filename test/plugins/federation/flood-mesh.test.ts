import path from 'node:path';
import test from 'ava';
import type { SupervisorEvent } from '../../../src/model/events.js';
import { LogCredit, creditWeight } from '../../../src/model/log-credit.js';
import { FIXTURES, tempDir, writeFiles } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';
import { startMaster } from './harness.js';
import { joinAsync, up } from './mesh-nodes.js';

/**
 * A log flood on a worker the master follows: frames leave at the pace the master accepts and what cannot
 * wait is dropped and counted, so the session lives on (no 4429), lines keep coming, and markers say how
 * many the follower missed: every line arrives or is counted, none twice.
 */

const FLOOD = JSON.stringify(path.join(FIXTURES, 'procs', 'flood.js'));

test('a worker flooding its logs to a following master keeps its session; the follower gets every line or a marker counting it', async (t) => {
  t.timeout(90_000);
  const m = await startMaster({ pingEveryMs: 500 });
  t.teardown(() => m.close());
  const dir = tempDir('nu-flood-mesh-');
  writeFiles(dir, { 'ecosystem.config.cjs': `const { federation } = require('node-unit/federation');\nmodule.exports = { apps: [{ name: 'flood', script: ${FLOOD}, args: ['1000000', 'block'], autorestart: false, autostart: false }], plugins: [federation({ name: 'nas' })] };\n` });
  const worker = await up(t, dir);
  await joinAsync(m.invite('nas'), dir);
  const remote = await waitFor(() => m.master.remotes().find((r) => r.name === 'nas'), { timeoutMs: 15_000, what: 'nas connected' });
  let lines = 0;
  let skipped = 0;
  const onEvent = (event: SupervisorEvent): void => {
    if (event.type !== 'log') return;
    for (const line of event.lines) {
      if (line.skipped === undefined) lines++;
      else skipped += line.skipped;
    }
  };
  const unsubscribe = remote.client.subscribe(onEvent, { logs: 'all', metrics: false });
  t.like(await remote.client.start('flood'), { ok: true });
  await waitFor(async () => (await remote.client.list()).some((i) => i.state.status === 'exited' || i.state.status === 'stopped'), { timeoutMs: 60_000, what: 'the flood to end' });
  // However fast this machine carries the link (it may carry all of it), every line arrives or is counted.
  await waitFor(() => lines > 0 && lines + skipped >= 1_000_000, { timeoutMs: 10_000, what: `every line or a skip marker counting it (lines ${lines}, skipped ${skipped})` });
  unsubscribe();
  t.true(lines + skipped <= 1_000_000 + 10, `no line counted twice (${lines} + ${skipped})`);
  t.is(m.master.remotes().find((r) => r.name === 'nas')?.sid, remote.sid, 'the same session throughout');
  t.deepEqual(m.refusals(), []);
  t.notRegex(worker.output(), /session ended/);
});

test('a follow with credit: the worker sends only what the master granted and drops the rest before sealing it, counted once more is granted', async (t) => {
  t.timeout(90_000);
  const m = await startMaster({ pingEveryMs: 500 });
  t.teardown(() => m.close());
  const dir = tempDir('nu-flood-credit-');
  const total = 200_000;
  writeFiles(dir, { 'ecosystem.config.cjs': `const { federation } = require('node-unit/federation');\nmodule.exports = { apps: [{ name: 'flood', script: ${FLOOD}, args: ['${total}', 'block'], autorestart: false, autostart: false }], plugins: [federation({ name: 'nas' })] };\n` });
  await up(t, dir);
  await joinAsync(m.invite('nas'), dir);
  const remote = await waitFor(() => m.master.remotes().find((r) => r.name === 'nas'), { timeoutMs: 15_000, what: 'nas connected' });
  const window = 64 * 1024;
  const credit = new LogCredit(window);
  let bytes = 0;
  let lines = 0;
  let skipped = 0;
  const unsubscribe = remote.client.subscribe((event) => {
    if (event.type !== 'log') return;
    for (const line of event.lines) {
      if (line.skipped !== undefined) skipped += line.skipped;
      else if (line.app === 'flood') {
        lines++;
        bytes += creditWeight(line.line);
      }
    }
  }, { logs: 'flood', metrics: false, credit });
  t.teardown(unsubscribe);
  t.like(await remote.client.start('flood'), { ok: true });
  await waitFor(async () => (await remote.client.list()).some((i) => i.state.status === 'exited' || i.state.status === 'stopped'), { timeoutMs: 60_000, what: 'the flood to end' });
  // A round trip through the worker: whatever it sent before is here.
  await remote.client.list();
  t.true(lines > 0 && bytes <= window, `${bytes} bytes of ${lines} lines crossed the link against ${window} of credit (the flood was ${total} lines)`);
  t.is(skipped, 0, 'the marker waits for credit');
  credit.grant(window);
  await waitFor(() => skipped > 0, { timeoutMs: 10_000, what: 'the marker once credit came back' });
  t.is(lines + skipped, total, `every line arrived or was counted (${lines} + ${skipped})`);
  t.deepEqual(m.refusals(), []);
});
